"""Letters: the 救济途径 sentence, the templates and the DOCX/PDF files."""

import importlib
import io
import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import docx
import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from docx.oxml.ns import qn

from tests.factories import AgencyFactory, UserFactory
from zwgk.disclosure_requests.choices import (
    ApplicantType,
    Channel,
    Delivery,
    IdentityDocument,
    Outcome,
    ProvisionForm,
)
from zwgk.disclosure_requests.fees import FeeMethod
from zwgk.disclosure_requests.letters import (
    LetterError,
    ReliefError,
    chinese_date,
    relief_sentence,
    render_letter,
    store_letter,
    validate_template,
)
from zwgk.disclosure_requests.letters.defaults import DEFAULT_TEMPLATES
from zwgk.disclosure_requests.models import (
    Consultation,
    ConsultationKind,
    DisclosureRequest,
    Extension,
    FeeNotice,
    LetterKind,
    LetterTemplate,
    SupplementRequest,
)
from zwgk.organizations.choices import AgencyKind, AgencyLevel

SHANGHAI = ZoneInfo("Asia/Shanghai")
RECEIVED = date(2026, 9, 18)
LETTER_DATE = date(2026, 9, 30)
PRIOR_REVIEW = "《中华人民共和国行政复议法》第二十三条第一款第（四）项"


def make_request(agency, **fields) -> DisclosureRequest:
    values = {
        "tracking_code": "ZW2026000001",
        "query_password": "!",
        "agency": agency,
        "channel": Channel.IN_PERSON,
        "applicant_type": ApplicantType.NATURAL_PERSON,
        "applicant_name": "张三",
        "id_type": IdentityDocument.RESIDENT_ID,
        "id_number": "110101199001011234",
        "phone": "13800000000",
        "description": "2025年度部门预算执行情况",
        "provision_form": ProvisionForm.ELECTRONIC,
        "delivery": Delivery.EMAIL,
        "submitted_at": datetime(2026, 9, 18, 9, tzinfo=SHANGHAI),
        "receipt_date": RECEIVED,
        "due_date": date(2026, 10, 23),
        **fields,
    }
    return DisclosureRequest.objects.create(**values)


def reply(request, **extra):
    return render_letter(request, LetterKind.REPLY, context_extra=extra, letter_date=LETTER_DATE)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return squash("".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def docx_paragraphs(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


# --- the relief sentence -------------------------------------------------------------


@pytest.mark.parametrize(
    ("agency", "body"),
    [
        ("city_edu", "示范市人民政府"),  # 第二十四条第一款第（一）项: 本级人民政府
        ("county_edu", "示范县人民政府"),
        ("county", "示范市人民政府"),  # 第二十四条第一款第（二）项: 上一级人民政府
        ("city_tax", "国家税务总局示范省税务局"),  # 第二十七条: 上一级主管部门
    ],
)
def test_general_relief_names_the_reconsideration_body(world, agency, body):
    sentence = relief_sentence(getattr(world, agency), Outcome.PROVIDED)
    assert sentence == (
        f"如对本答复不服，可以自收到本答复之日起六十日内向{body}申请行政复议，"
        "或者自收到本答复之日起六个月内依法向有管辖权的人民法院提起行政诉讼。"
    )


def test_withheld_reply_requires_reconsideration_first(world):
    """行政复议法第二十三条第一款第（四）项 and 第二款; 行政诉讼法第四十五条."""
    sentence = relief_sentence(world.city_edu, Outcome.THIRD_PARTY)
    assert PRIOR_REVIEW in sentence
    assert "应当先自收到本答复之日起六十日内向示范市人民政府申请行政复议" in sentence
    assert "对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内" in sentence
    assert "六个月" not in sentence


@pytest.mark.parametrize("outcome", [o for o in Outcome if o.withholds and o is not Outcome.PARTLY])
def test_every_withholding_outcome_gets_the_prior_review_form(world, outcome):
    assert PRIOR_REVIEW in relief_sentence(world.city_edu, outcome)


def test_partly_disclosed_reply_states_both_routes(world):
    sentence = relief_sentence(world.city_edu, Outcome.PARTLY)
    provided, withheld = sentence.split("；如对本答复中不予公开的部分不服")
    assert "提供政府信息的部分" in provided
    assert "六十日内向示范市人民政府申请行政复议" in provided
    assert "六个月内依法向有管辖权的人民法院提起行政诉讼" in provided
    assert PRIOR_REVIEW in withheld
    assert "应当先" in withheld and "十五日内" in withheld
    assert relief_sentence(world.city_edu, None, partly_withheld=True) == sentence


def test_outcomes_that_do_not_withhold_get_the_general_form(world):
    for outcome in (Outcome.NOT_HELD, Outcome.REPEATED, Outcome.NO_SUPPLEMENT):
        sentence = relief_sentence(world.city_edu, outcome)
        assert "六个月" in sentence and "十五日" not in sentence


def test_fee_notice_names_itself(world):
    sentence = relief_sentence(world.city_edu, None, document="本通知")
    assert sentence.startswith("如对本通知不服，可以自收到本通知之日起六十日内")


def test_relief_fails_loudly_without_a_reconsideration_body(world):
    state_council = AgencyFactory(
        name="国务院", kind=AgencyKind.GOVERNMENT, level=AgencyLevel.NATIONAL
    )
    with pytest.raises(ReliefError, match="无法生成救济途径告知"):
        relief_sentence(state_council, Outcome.PROVIDED)
    # A vertically managed body whose 上一级主管部门 was never filled in.
    customs = AgencyFactory(name="示范海关", parent=world.city, vertically_managed=True)
    with pytest.raises(ReliefError, match="上一级主管部门"):
        relief_sentence(customs, Outcome.PROVIDED)


def test_a_reply_is_never_rendered_without_a_relief_sentence(world):
    customs = AgencyFactory(name="示范海关", parent=world.city, vertically_managed=True)
    request = make_request(customs, outcome=Outcome.PROVIDED)
    with pytest.raises(ReliefError):
        reply(request)


def test_relief_is_added_when_an_office_template_leaves_it_out(world):
    LetterTemplate.objects.create(
        agency=world.city_edu, kind=LetterKind.REPLY, title="答复书", body="经审查，予以公开。"
    )
    letter = reply(make_request(world.city_edu, outcome=Outcome.PROVIDED))
    assert letter.paragraphs == ("经审查，予以公开。", letter.relief_sentence)
    assert "示范市人民政府" in letter.relief_sentence


def test_procedural_notices_carry_no_relief_sentence(world):
    request = make_request(world.city_edu)
    SupplementRequest.objects.create(
        request=request, notice_date=RECEIVED, items=["信息名称"], deadline=date(2026, 10, 16)
    )
    letter = render_letter(request, LetterKind.SUPPLEMENT, letter_date=LETTER_DATE)
    assert letter.relief_sentence == ""
    assert "行政复议" not in letter.text


# --- templates -----------------------------------------------------------------------


def test_migration_seeds_a_default_for_every_kind(db):
    defaults = LetterTemplate.objects.filter(agency__isnull=True)
    assert set(defaults.values_list("kind", flat=True)) == set(LetterKind.values)
    assert set(DEFAULT_TEMPLATES) == set(LetterKind.values)


def test_migration_reverses_and_keeps_edited_defaults(db):
    migration = importlib.import_module(
        "zwgk.disclosure_requests.migrations.0002_default_letter_templates"
    )
    LetterTemplate.objects.filter(kind=LetterKind.FEE).update(body="本机关自己的收费通知")
    migration.remove_defaults(apps, None)
    # The defaults of 0002's kinds go, except the edited one; later kinds stay.
    remaining = set(LetterTemplate.objects.values_list("kind", flat=True))
    assert remaining == {LetterKind.FEE, LetterKind.DISCLOSURE_DECISION}
    migration.seed_defaults(apps, None)
    assert LetterTemplate.objects.filter(agency__isnull=True).count() == len(LetterKind)
    assert LetterTemplate.objects.get(kind=LetterKind.FEE).body == "本机关自己的收费通知"


def test_agency_template_overrides_the_default(world):
    LetterTemplate.objects.create(
        agency=world.city_edu,
        kind=LetterKind.REPLY,
        title="{{ agency_name }}答复书",
        body="{{ applicant_name }}的申请已办结。\n{{ relief_sentence }}",
    )
    own = reply(make_request(world.city_edu, outcome=Outcome.PROVIDED))
    assert own.title == "示范市教育局答复书"
    assert own.paragraphs[0] == "张三的申请已办结。"
    other = reply(make_request(world.city_fin, tracking_code="ZW2", outcome=Outcome.PROVIDED))
    assert other.title == "政府信息公开申请答复书"
    assert other.paragraphs[0].startswith("本机关于2026年9月18日收到您提出的政府信息公开申请")


def test_default_in_code_is_used_when_the_table_is_empty(world):
    LetterTemplate.objects.all().delete()
    letter = reply(make_request(world.city_edu, outcome=Outcome.PROVIDED))
    assert letter.title == "政府信息公开申请答复书"


def test_validate_template(world):
    validate_template(LetterKind.REPLY, "答复书", "{{ relief_sentence }}")
    validate_template(LetterKind.SUPPLEMENT, "告知书", "请补正。")
    with pytest.raises(ValidationError) as missing:
        validate_template(LetterKind.REPLY, "答复书", "予以公开。")
    assert "relief_sentence" in str(missing.value.message_dict["body"])
    with pytest.raises(ValidationError) as broken:
        validate_template(LetterKind.FEE, "{% if %}", "{% load static %}{{ relief_sentence }}")
    assert set(broken.value.message_dict) == {"title", "body"}


@pytest.mark.parametrize(
    "body",
    [
        "{% load static %}{{ relief_sentence }}",
        '{% include "admin/base.html" %}',
        "{% debug %}",
        '{% url "admin:index" %}',
    ],
)
def test_templates_are_sandboxed(world, body):
    LetterTemplate.objects.create(
        agency=world.city_edu, kind=LetterKind.REPLY, title="答复书", body=body
    )
    with pytest.raises(LetterError, match="语法错误"):
        reply(make_request(world.city_edu, outcome=Outcome.PROVIDED))


def test_templates_see_plain_values_only(world):
    LetterTemplate.objects.create(
        agency=world.city_edu,
        kind=LetterKind.REPLY,
        title="答复书",
        body="[{{ request }}{{ user }}{{ settings.SECRET_KEY }}{{ agency.pk }}]\n"
        "{{ relief_sentence }}",
    )
    request = make_request(world.city_edu, outcome=Outcome.PROVIDED)
    assert reply(request).paragraphs[0] == "[]"
    with pytest.raises(TypeError):
        reply(request, obtain=world.city_edu)
    with pytest.raises(ValueError, match="relief_sentence"):
        reply(request, relief_sentence="")


# --- the reply ------------------------------------------------------------------------


# What the handler adds for outcomes whose letter needs it.
EXTRAS = {
    Outcome.PARTLY: {"withheld_outcome": Outcome.THIRD_PARTY, "withheld_part": "第三方企业的报价"},
    Outcome.OTHER: {"reason": "申请人已通过行政复议获取该信息"},
}


@pytest.mark.parametrize("outcome", list(Outcome))
def test_every_outcome_renders_a_reply(world, outcome):
    request = make_request(world.city_edu, outcome=outcome)
    letter = render_letter(
        request,
        LetterKind.REPLY,
        context_extra=EXTRAS.get(outcome, {}),
        letter_date=LETTER_DATE,
    )
    assert letter.paragraphs[-1] == letter.relief_sentence
    assert letter.relief_sentence == relief_sentence(world.city_edu, outcome)
    basis = outcome.legal_basis
    if basis and outcome not in (Outcome.CONFIRMATION, Outcome.NOT_HELD):
        assert basis in letter.text
    assert "{{" not in letter.text and "{%" not in letter.text


def test_withheld_reply_states_reason_basis_and_prior_review(world):
    letter = reply(
        make_request(world.city_edu, outcome=Outcome.PROCESS_INFO),
        reason="该文件为尚未定稿的征求意见稿。",
    )
    decision = letter.paragraphs[1]
    assert "过程性信息" in decision
    assert "第十六条第二款、第三十六条第（三）项" in decision
    assert decision.endswith("本机关决定不予公开，理由是：该文件为尚未定稿的征求意见稿。")
    assert PRIOR_REVIEW in letter.paragraphs[2]


def test_partly_disclosed_reply_states_what_is_given_and_why_the_rest_is_not(world):
    request = make_request(world.city_edu, outcome=Outcome.PARTLY)
    letter = reply(
        request,
        provided_part="项目预算总额",
        withheld_part="供应商报价明细",
        withheld_outcome=Outcome.THIRD_PARTY,
        reason="供应商书面表示不同意公开",
    )
    text = letter.text
    assert (
        "本机关向您提供可以公开的内容（项目预算总额），现以电子邮件方式提供（电子形式）。" in text
    )
    assert (
        "对供应商报价明细，本机关决定不予公开，理由是：该部分信息涉及商业秘密、个人隐私等，"
        "公开会对第三方合法权益造成损害，供应商书面表示不同意公开（依据《中华人民共和国政府信息公开条例》"
        "第十五条、第三十二条、第三十六条第（三）项）。"
    ) in text
    assert "提供政府信息的部分" in letter.relief_sentence
    with pytest.raises(LetterError, match="第三十七条"):
        reply(request)


def test_reply_needs_an_outcome(world):
    with pytest.raises(LetterError, match="办理结果"):
        reply(make_request(world.city_edu))


def test_not_ours_reply_names_the_responsible_agency(world):
    request = make_request(world.city_edu, outcome=Outcome.NOT_HELD)
    letter = reply(
        request,
        not_ours=True,
        reason="该信息由财政部门制作并保存",
        responsible_agency="示范市财政局",
        responsible_contact="0000-12345678",
    )
    assert "第三十六条第（五）项" in letter.text
    assert "负责公开该政府信息的行政机关是示范市财政局，联系方式：0000-12345678。" in letter.text
    assert "告知您该政府信息不存在" in reply(request).text


def test_organisation_is_addressed_as_such(world):
    request = make_request(
        world.city_edu,
        outcome=Outcome.PROVIDED,
        applicant_type=ApplicantType.COMMERCIAL,
        applicant_name="示范科技有限公司",
    )
    letter = reply(request)
    assert letter.addressee == "示范科技有限公司"
    assert "收到贵单位提出的" in letter.paragraphs[0]


def test_applicant_text_is_escaped_and_never_evaluated(world):
    request = make_request(
        world.city_edu,
        outcome=Outcome.PROVIDED,
        applicant_name="<b>张三</b>",
        description="<script>alert(1)</script>{{ relief_sentence }}{% debug %}\x0b\n第二行",
    )
    letter = reply(request)
    assert "<script>" not in letter.html and "<b>" not in letter.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in letter.html
    assert "&lt;b&gt;张三&lt;/b&gt;：" in letter.html
    # Literal in the DOCX, and still one paragraph: the line break became a space.
    opening = "“<script>alert(1)</script>{{ relief_sentence }}{% debug %} 第二行”"
    assert opening in letter.paragraphs[0]
    assert any(opening in p for p in docx_paragraphs(letter.docx))


# --- the files ------------------------------------------------------------------------


def test_docx_layout(world):
    world.city_edu.office_phone = "0000-87654321"
    world.city_edu.save()
    letter = reply(make_request(world.city_edu, outcome=Outcome.PROVIDED))
    document = docx.Document(io.BytesIO(letter.docx))
    texts = [p.text for p in document.paragraphs]
    assert texts[:2] == ["政府信息公开申请答复书", "示范市教育局依申公开答〔2026〕ZW2026000001号"]
    assert "张三：" in texts
    assert letter.relief_sentence in texts
    assert "如有疑问，请与示范市教育局联系（联系电话：0000-87654321）。" in texts
    assert texts[-2:] == ["示范市教育局（印章）", "2026年9月30日"]
    title = document.paragraphs[0]
    assert title.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.CENTER
    assert title.runs[0].font.size.pt == 22
    assert title.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    body = document.paragraphs[texts.index(letter.relief_sentence)]
    assert body.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert body.paragraph_format.first_line_indent.pt == 32
    assert document.paragraphs[-1].alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
    section = document.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.left_margin.cm, 1) == 2.8
    assert document.core_properties.author == "示范市教育局"
    font_table = next(
        rel.target_part.blob.decode()
        for rel in document.part.rels.values()
        if rel.reltype.endswith("/fontTable")
    )
    assert 'w:name="方正小标宋简体"' in font_table and 'w:altName w:val="宋体"' in font_table


def test_pdf_contains_the_applicant_and_the_relief_sentence(world):
    letter = reply(make_request(world.city_edu, outcome=Outcome.STATE_SECRET))
    assert letter.pdf.startswith(b"%PDF")
    text = pdf_text(letter.pdf)
    assert "张三：" in text
    assert squash(letter.relief_sentence) in text
    assert "示范市教育局（印章）" in text


def test_store_letter_saves_both_files(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    request = make_request(world.city_edu, outcome=Outcome.PROVIDED)
    stored = store_letter(request, LetterKind.REPLY, reply(request))
    stored.refresh_from_db()
    assert stored.delivered_online
    assert stored.docx.name.endswith(".docx") and stored.pdf.name.endswith(".pdf")
    assert request.tracking_code not in stored.docx.name
    with stored.pdf.open("rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    with stored.docx.open("rb") as file:
        assert docx.Document(file).paragraphs[0].text == "政府信息公开申请答复书"

    Consultation.objects.create(
        request=request,
        kind=ConsultationKind.THIRD_PARTY,
        party="示范建设有限公司",
        sent_date=LETTER_DATE,
        due_date=date(2026, 10, 28),
    )
    consultation = render_letter(request, LetterKind.CONSULTATION, letter_date=LETTER_DATE)
    assert not store_letter(request, LetterKind.CONSULTATION, consultation).delivered_online
    with pytest.raises(ValueError):
        store_letter(request, LetterKind.FEE, consultation)


# --- the other letters ------------------------------------------------------------------


def test_supplement_notice_lists_every_item_once(world):
    request = make_request(world.city_edu)
    SupplementRequest.objects.create(
        request=request,
        notice_date=date(2026, 9, 22),
        items=["所需信息的文件名称或者文号。", {"text": "所需信息的形成时间段"}],
        deadline=date(2026, 10, 16),
    )
    letter = render_letter(request, LetterKind.SUPPLEMENT, letter_date=date(2026, 9, 22))
    assert letter.title == "政府信息公开申请补正告知书"
    assert "第三十条的规定，现一次性告知您对以下事项作出补正：" in letter.paragraphs[1]
    assert letter.paragraphs[2:4] == ("1．所需信息的文件名称或者文号", "2．所需信息的形成时间段")
    assert "请您在2026年10月16日之前（含当日）向本机关提交补正后的申请" in letter.text
    assert "视为放弃申请" in letter.text


def test_extension_notice_states_days_and_new_due_date(world):
    request = make_request(world.city_edu, extension_days=10, due_date=date(2026, 11, 6))
    handler = UserFactory()
    Extension.objects.create(
        request=request,
        days=10,
        reason="申请的信息涉及多个年度的档案，需要调取核查。",
        requested_by=handler,
        approved_by=handler,
        approved_on=date(2026, 10, 20),
    )
    letter = render_letter(request, LetterKind.EXTENSION, letter_date=date(2026, 10, 20))
    assert letter.title == "政府信息公开申请延长答复期限告知书"
    assert "因申请的信息涉及多个年度的档案，需要调取核查，本机关不能" in letter.text
    assert "第三十三条第二款" in letter.text
    assert "答复期限延长10个工作日，本机关将在2026年11月6日之前（含当日）作出答复" in letter.text
    assert letter.relief_sentence == ""


def test_deferred_deadline_notice(world):
    request = make_request(world.city_edu, deferred_due_date=date(2026, 12, 31))
    letter = render_letter(
        request, LetterKind.EXTENSION, context_extra={"deferred": True}, letter_date=LETTER_DATE
    )
    assert letter.title == "政府信息公开申请延迟答复告知书"
    assert "第三十五条的规定，本机关确定延迟答复的期限至2026年12月31日" in letter.text
    with pytest.raises(LetterError, match="延长记录"):
        render_letter(request, LetterKind.EXTENSION, letter_date=LETTER_DATE)


def test_consultation_letters(world):
    request = make_request(world.city_edu, status="consulting")
    Consultation.objects.create(
        request=request,
        kind=ConsultationKind.THIRD_PARTY,
        party="示范建设有限公司",
        sent_date=LETTER_DATE,
        due_date=date(2026, 10, 28),
    )
    third = render_letter(request, LetterKind.CONSULTATION, letter_date=LETTER_DATE)
    assert third.addressee == "示范建设有限公司"
    assert "第三十二条" in third.text and "15个工作日" in third.text
    assert "贵方逾期未提出意见的，由本机关依照" in third.text
    # The third party learns what is asked, not who asks (个人信息保护法).
    assert "张三" not in third.text and "ZW2026000001" not in third.text
    assert third.reference == f"示范市教育局依申公开征〔2026〕{request.pk}号"

    other = Consultation.objects.create(
        request=request,
        kind=ConsultationKind.AGENCY,
        party="示范市财政局",
        sent_date=LETTER_DATE,
        due_date=date(2026, 10, 28),
    )
    joint = render_letter(request, LetterKind.CONSULTATION, subject=other, letter_date=LETTER_DATE)
    assert joint.addressee == "示范市财政局"
    assert "第三十四条" in joint.text and "逾期未提出意见的，视为同意公开。" in joint.text


def test_fee_notice(world):
    request = make_request(world.city_edu)
    FeeNotice.objects.create(
        request=request,
        method=FeeMethod.PER_PAGE,
        first_unit=1,
        quantity=120,
        amount=Decimal("1100.00"),
        notice_date=LETTER_DATE,
        pay_by=date(2026, 11, 4),
    )
    letter = render_letter(request, LetterKind.FEE, letter_date=LETTER_DATE)
    text = letter.text
    assert "国办函〔2020〕109号" in text and "计收方式：按量计收。" in text
    assert "第1至30页：免费" in letter.paragraphs
    assert "第31至100页：每页10元，共70页，计700元" in letter.paragraphs
    assert "第101至120页：每页20元，共20页，计400元" in letter.paragraphs
    assert "应缴信息处理费合计人民币1,100元。" in letter.paragraphs
    assert "请您在2026年11月4日之前（含当日）" in text
    assert "逾期未缴纳的，视为放弃申请，本机关将不再处理该政府信息公开申请" in text
    assert letter.relief_sentence.startswith("如对本通知不服")
    assert letter.relief_sentence in letter.paragraphs


def test_reasons_notice(world):
    request = make_request(world.city_edu)
    letter = render_letter(
        request,
        LetterKind.REASONS,
        context_extra={"reasons_deadline": date(2026, 10, 16)},
        letter_date=LETTER_DATE,
    )
    assert letter.title == "政府信息公开申请说明理由告知书"
    assert (
        "第三十五条的规定，请您在2026年10月16日之前（含当日）向本机关书面说明申请理由"
        in letter.text
    )
    assert letter.relief_sentence == ""


def test_chinese_date():
    assert chinese_date(date(2026, 9, 8)) == "2026年9月8日"
    assert chinese_date(datetime(2026, 9, 30, 17, tzinfo=ZoneInfo("UTC"))) == "2026年10月1日"
    assert chinese_date(None) == ""


def test_disclosure_decision_tells_the_third_party_with_relief(world):
    """条例第三十二条: the decision to disclose over an objection, with its reason, in writing."""
    request = make_request(world.city_edu, outcome=Outcome.PROVIDED)
    consultation = Consultation.objects.create(
        request=request,
        kind="third_party",
        party="示范市某培训学校",
        sent_date=date(2026, 9, 21),
        due_date=date(2026, 10, 19),
        closed_date=date(2026, 9, 30),
        answer="object",
    )
    with pytest.raises(LetterError, match="第三十二条"):
        render_letter(request, LetterKind.DISCLOSURE_DECISION, subject=consultation)
    letter = render_letter(
        request,
        LetterKind.DISCLOSURE_DECISION,
        subject=consultation,
        context_extra={"reason": "涉及学生人身安全。"},
        letter_date=LETTER_DATE,
    )
    assert letter.addressee == "示范市某培训学校"
    assert "本机关决定予以公开，理由是：涉及学生人身安全。" in letter.text
    assert "示范市人民政府申请行政复议" in letter.relief_sentence
    assert request.tracking_code not in letter.text
    assert "张三" not in letter.text
