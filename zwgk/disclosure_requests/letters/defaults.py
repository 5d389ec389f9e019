# Template text: every line of a body is one paragraph of the letter, so lines are long.
# ruff: noqa: E501
"""The platform's default letter templates (LetterTemplate rows with no agency).

Migration ``0002_default_letter_templates`` copies these into the database,
where an office (or the platform administrator, for the defaults) edits them;
:func:`zwgk.disclosure_requests.letters.render.render_letter` falls back to
them only when no row exists.  A later change here reaches existing
installations only through a new data migration.

Each body is a Django template rendered in a sandbox with the placeholders
listed in ``docs/letters.md``.  Every non-empty line is one paragraph; lines
holding only template tags disappear.  The addressee, the title, the 文号 line,
the seal line and the date are laid out by the renderer, not written here.

Keys are :class:`~zwgk.disclosure_requests.models.LetterKind` values, kept as
plain strings so that the migration does not depend on the model code.
"""

REGULATION = "《中华人民共和国政府信息公开条例》"

# The statement of fact behind each 不予公开 outcome (条例第十四条至第十六条), used
# as ``{{ withheld_label }}`` after “…申请获取的政府信息”.
WITHHELD_FINDINGS: dict[str, str] = {
    "state_secret": "属于依法确定为国家秘密的政府信息",
    "other_law": "属于法律、行政法规禁止公开的政府信息",
    "security": "公开后可能危及国家安全、公共安全、经济安全、社会稳定",
    "third_party": "涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害",
    "internal_affairs": "属于行政机关的内部事务信息（人事管理、后勤管理、内部工作流程等方面的信息）",
    "process_info": "属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息",
    "enforcement_file": "属于行政执法案卷信息",
}

_OPENING = "本机关于{{ receipt_date }}收到{{ applicant_you }}提出的政府信息公开申请（查询码：{{ tracking_code }}），申请获取“{{ description }}”。"
_CONTACT = (
    "{% if contact_line %}如有疑问，请与{{ office_name }}联系（{{ contact_line }}）。{% endif %}"
)

REPLY = (
    _OPENING
    + """{% if outcome_code != "withdrawn" %}经审查，现答复如下：{% endif %}
{% if outcome_code == "already_public" %}
{{ applicant_you }}申请获取的政府信息已经主动公开。根据{{ legal_basis }}的规定，现告知获取该政府信息的方式和途径：{% if obtain %}{{ obtain }}{% elif office_website %}可登录本机关政府信息公开平台（{{ office_website }}）检索获取{% else %}可登录本机关政府信息公开平台检索获取{% endif %}。
{% elif outcome_code == "provided" %}
{{ applicant_you }}申请获取的政府信息属于可以公开的政府信息。根据{{ legal_basis }}的规定，本机关予以公开，{% if obtain %}{{ obtain }}{% else %}现以{{ delivery }}方式向{{ applicant_you }}提供该政府信息（{{ provision_form }}形式）{% endif %}。
{% elif outcome_code == "partly" %}
{{ applicant_you }}申请获取的信息中含有不应当公开的内容，但是能够作区分处理。根据{{ legal_basis }}的规定，本机关向{{ applicant_you }}提供可以公开的内容{% if provided_part %}（{{ provided_part }}）{% endif %}，{% if obtain %}{{ obtain }}{% else %}现以{{ delivery }}方式提供（{{ provision_form }}形式）{% endif %}。
对{% if withheld_part %}{{ withheld_part }}{% else %}其余内容{% endif %}，本机关决定不予公开，理由是：{% if withheld_label %}该部分信息{{ withheld_label }}{% if reason %}，{{ reason }}{% endif %}{% else %}{{ reason }}{% endif %}{% if withheld_basis %}（依据{{ withheld_basis }}）{% endif %}。
{% elif outcome_code == "enquiry_matter" %}
{{ applicant_you }}申请获取的信息属于{% if enquiry_kind %}{{ enquiry_kind }}{% else %}工商、不动产登记资料等{% endif %}信息，有关法律、行政法规对该类信息的获取有特别规定。根据{{ legal_basis }}的规定，请{{ applicant_you }}依照有关法律、行政法规的规定办理{% if obtain %}：{{ obtain }}{% endif %}。
{% elif withholds %}
{{ applicant_you }}申请获取的政府信息{{ withheld_label }}。根据{{ legal_basis }}的规定，本机关决定不予公开{% if reason %}，理由是：{{ reason }}{% endif %}。
{% elif outcome_code == "not_held" %}
{% if not_ours %}
根据{{ regulation }}第三十六条第（五）项的规定，告知{{ applicant_you }}：{{ applicant_you }}申请获取的政府信息不属于本机关负责公开，理由是：{{ reason }}。{% if responsible_agency %}负责公开该政府信息的行政机关是{{ responsible_agency }}{% if responsible_contact %}，联系方式：{{ responsible_contact }}{% endif %}。{% endif %}
{% else %}
经检索，本机关没有{{ applicant_you }}申请公开的政府信息。根据{{ regulation }}第三十六条第（四）项的规定，告知{{ applicant_you }}该政府信息不存在{% if reason %}（{{ reason }}）{% endif %}。
{% endif %}
{% elif outcome_code == "needs_creation" %}
{{ applicant_you }}申请获取的信息需要本机关对现有政府信息进行加工、分析才能形成，本机关没有已制作或者获取的该项信息。根据{{ legal_basis }}的规定，本机关不予提供{% if reason %}（{{ reason }}）{% endif %}。
{% elif outcome_code == "still_unclear" %}
本机关{% if supplement_notice_date %}已于{{ supplement_notice_date }}{% else %}已{% endif %}一次性告知{{ applicant_you }}补正申请内容，{{ applicant_you }}补正后的申请内容仍不明确，本机关无法确定{{ applicant_you }}所需的政府信息。根据{{ legal_basis }}的规定，本机关无法提供。{{ applicant_you }}可以在明确所需政府信息的名称、文号或者便于查询的其他特征性描述后重新提出申请。
{% elif outcome_code == "petition" %}
{{ applicant_you }}是以政府信息公开申请的形式进行信访、投诉、举报等活动。根据{{ legal_basis }}的规定，本机关不作为政府信息公开申请处理，{{ applicant_you }}可以通过{% if channel_hint %}{{ channel_hint }}{% else %}信访、投诉、举报等相应渠道{% endif %}提出。
{% elif outcome_code == "repeated" %}
本机关{% if previous_reply_date %}已于{{ previous_reply_date }}{% else %}已{% endif %}就{{ applicant_you }}提出的相同政府信息公开申请作出答复{% if previous_reference %}（{{ previous_reference }}）{% endif %}，{{ applicant_you }}本次重复申请公开相同的政府信息。根据{{ legal_basis }}的规定，本机关不予重复处理。
{% elif outcome_code == "publication" %}
{{ applicant_you }}申请获取的是{% if publication %}{{ publication }}{% else %}政府公报、报刊、书籍等公开出版物{% endif %}。根据{{ legal_basis }}的规定，告知{{ applicant_you }}获取途径：{% if obtain %}{{ obtain }}{% else %}可以通过公开发行渠道购买，或者到公共图书馆、档案馆等场所查阅{% endif %}。
{% elif outcome_code == "mass_applications" %}
{{ applicant_you }}申请公开政府信息的数量、频次明显超过合理范围，本机关已要求{{ applicant_you }}说明理由。本机关认为{{ applicant_you }}的申请理由不合理{% if reason %}：{{ reason }}{% endif %}。根据{{ legal_basis }}的规定，本机关对该申请不予处理。
{% elif outcome_code == "confirmation" %}
{{ applicant_you }}的申请是要求本机关对{{ applicant_you }}已经获取的信息予以确认或者重新出具，不属于申请获取政府信息，本机关不作为政府信息公开申请处理{% if reason %}（{{ reason }}）{% endif %}。
{% elif outcome_code == "no_supplement" %}
本机关{% if supplement_notice_date %}已于{{ supplement_notice_date }}{% else %}已{% endif %}一次性告知{{ applicant_you }}补正申请内容{% if supplement_deadline %}，补正期限至{{ supplement_deadline }}{% endif %}。{{ applicant_you }}无正当理由逾期未补正，根据{{ legal_basis }}的规定，视为放弃申请，本机关不再处理该政府信息公开申请。
{% elif outcome_code == "unpaid" %}
本机关{% if fee_notice_date %}已于{{ fee_notice_date }}{% else %}已{% endif %}向{{ applicant_you }}发出收费通知书{% if fee_pay_by %}，缴费期限至{{ fee_pay_by }}{% endif %}。{{ applicant_you }}逾期未缴纳信息处理费，根据{{ legal_basis }}的规定，视为放弃申请，本机关不再处理该政府信息公开申请。
{% elif outcome_code == "withdrawn" %}
{{ applicant_you }}{% if withdrawn_date %}已于{{ withdrawn_date }}{% else %}已{% endif %}撤回该政府信息公开申请，本机关终止办理。
{% else %}
{{ reason }}。
{% endif %}
{{ relief_sentence }}
"""
    + _CONTACT
    + """
{% for name in attachments %}
{% if forloop.first %}附件：{% endif %}{{ forloop.counter }}．{{ name }}
{% endfor %}
"""
)

SUPPLEMENT = (
    _OPENING
    + """
经审查，{{ applicant_you }}的申请内容不明确。根据{{ regulation }}第三十条的规定，现一次性告知{{ applicant_you }}对以下事项作出补正：
{% for item in supplement_items %}
{{ forloop.counter }}．{{ item }}
{% endfor %}
{% if guidance %}{{ guidance }}。{% endif %}
请{{ applicant_you }}在{{ supplement_deadline }}之前（含当日）向本机关提交补正后的申请{% if supplement_how %}，补正方式：{{ supplement_how }}{% endif %}。答复期限自本机关收到补正的申请之日起计算。{{ applicant_you }}无正当理由逾期不补正的，视为放弃申请，本机关将不再处理该政府信息公开申请。
"""
    + _CONTACT
    + """
特此告知。
"""
)

EXTENSION = (
    _OPENING
    + """
{% if deferred %}
{{ applicant_you }}申请公开政府信息的数量、频次明显超过合理范围，本机关已要求{{ applicant_you }}说明理由。经审查，本机关认为申请理由合理，但是无法在{{ regulation }}第三十三条规定的期限内答复。根据{{ regulation }}第三十五条的规定，本机关确定延迟答复的期限至{{ deferred_due_date }}，将在该日之前（含当日）作出答复。
{% else %}
{% if extension_reason %}因{{ extension_reason }}，{% endif %}本机关不能在收到申请之日起20个工作日内作出答复。根据{{ regulation }}第三十三条第二款的规定，经本机关政府信息公开工作机构负责人同意，答复期限延长{{ extension_days }}个工作日，本机关将在{{ due_date }}之前（含当日）作出答复。本机关征求第三方或者其他机关意见的，所需时间不计算在答复期限内。
{% endif %}
"""
    + _CONTACT
    + """
特此告知。
"""
)

CONSULTATION = """{% if consultation_kind == "agency" %}
本机关于{{ receipt_date }}收到一份政府信息公开申请，申请获取“{{ description }}”。该政府信息由本机关与贵机关共同制作{% if consultation_subject %}（{{ consultation_subject }}）{% endif %}。根据{{ regulation }}第三十四条的规定，现征求贵机关意见。
请贵机关自收到本函之日起15个工作日内提出书面意见。逾期未提出意见的，视为同意公开。
{% else %}
本机关于{{ receipt_date }}收到一份政府信息公开申请，申请获取“{{ description }}”。经审查，该政府信息{% if consultation_subject %}{{ consultation_subject }}{% else %}涉及贵方的商业秘密、个人隐私等合法权益{% endif %}，公开可能损害贵方的合法权益。根据{{ regulation }}第三十二条的规定，现书面征求贵方意见。
请贵方自收到本函之日起15个工作日内提出是否同意公开的书面意见；不同意公开的，请说明理由并提供相关材料。
贵方逾期未提出意见的，由本机关依照{{ regulation }}的规定决定是否公开。贵方不同意公开且有合理理由的，本机关不予公开；但是，本机关认为不公开可能对公共利益造成重大影响的，可以决定予以公开，并将决定公开的政府信息内容和理由书面告知贵方。
{% endif %}
{% if contact_line %}意见请送{{ office_name }}（{{ contact_line }}）。{% endif %}
特此函告。
"""

DISCLOSURE_DECISION = """
本机关于{{ consultation_sent_date }}就一份政府信息公开申请（申请获取“{{ description }}”）书面征求贵方意见，贵方不同意公开。
经审查，本机关认为不公开可能对公共利益造成重大影响。根据{{ regulation }}第三十二条的规定，本机关决定予以公开，理由是：{{ reason }}。
{% if disclosed_content %}决定公开的政府信息内容：{{ disclosed_content }}。
{% endif %}{{ relief_sentence }}
{% if contact_line %}如有疑问，请与{{ office_name }}联系（{{ contact_line }}）。{% endif %}
特此告知。
"""

FEE = (
    _OPENING
    + """
经审查，{{ applicant_you }}申请公开政府信息的数量、频次明显超过合理范围。根据{{ regulation }}第四十二条和《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）的规定，本机关决定收取信息处理费。
计收方式：{{ fee_method }}。计费明细如下：
{% for line in fee_lines %}
{{ line }}
{% endfor %}
应缴信息处理费合计人民币{{ fee_amount }}元。
请{{ applicant_you }}在{{ fee_pay_by }}之前（含当日）{% if fee_payment %}通过{{ fee_payment }}{% else %}按照本机关告知的缴款方式{% endif %}缴纳上述费用。缴费所需时间不计算在答复期限内。{{ applicant_you }}逾期未缴纳的，视为放弃申请，本机关将不再处理该政府信息公开申请。
{{ relief_sentence }}
"""
    + _CONTACT
    + """
特此通知。
"""
)

REASONS = (
    _OPENING
    + """
{% if frequency_note %}{{ frequency_note }}。{% endif %}经审查，{{ applicant_you }}申请公开政府信息的数量、频次明显超过合理范围。根据{{ regulation }}第三十五条的规定，请{{ applicant_you }}{% if reasons_deadline %}在{{ reasons_deadline }}之前（含当日）{% endif %}向本机关书面说明申请理由。
本机关认为申请理由不合理的，将告知{{ applicant_you }}不予处理；认为申请理由合理，但是无法在{{ regulation }}第三十三条规定的期限内答复的，将确定延迟答复的合理期限并告知{{ applicant_you }}。
"""
    + _CONTACT
    + """
特此告知。
"""
)

# kind → (title, body).  Titles are templates too (the extension notice names
# itself after 条例第三十五条 when it sets a later deadline instead).
DEFAULT_TEMPLATES: dict[str, tuple[str, str]] = {
    "reply": ("政府信息公开申请答复书", REPLY),
    "supplement": ("政府信息公开申请补正告知书", SUPPLEMENT),
    "extension": (
        "{% if deferred %}政府信息公开申请延迟答复告知书{% else %}政府信息公开申请延长答复期限告知书{% endif %}",
        EXTENSION,
    ),
    "consultation": ("政府信息公开征求意见函", CONSULTATION),
    "fee": ("政府信息公开信息处理费收费通知书", FEE),
    "reasons": ("政府信息公开申请说明理由告知书", REASONS),
    "disclosure_decision": ("政府信息公开决定告知书", DISCLOSURE_DECISION),
}
