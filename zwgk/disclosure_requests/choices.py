"""The vocabularies of 依申请公开: applicants, channels, statuses, outcomes.

Status (where the application is in the workflow) and Outcome (how it was
decided) are separate enums; every Outcome maps to exactly one row of table
三 of the annual report (国办公开办函〔2021〕30号).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicantType(models.TextChoices):
    """The applicant columns of annual-report table 三."""

    NATURAL_PERSON = "natural_person", _("自然人")
    COMMERCIAL = "commercial", _("商业企业")
    RESEARCH = "research", _("科研机构")
    NONPROFIT = "nonprofit", _("社会公益组织")
    LEGAL_SERVICE = "legal_service", _("法律服务机构")
    OTHER_ORG = "other_org", _("其他")

    @property
    def is_organisation(self) -> bool:
        return self is not ApplicantType.NATURAL_PERSON


class IdentityDocument(models.TextChoices):
    RESIDENT_ID = "resident_id", _("居民身份证")
    PASSPORT = "passport", _("护照")
    HK_MACAO = "hk_macao", _("港澳居民来往内地通行证")
    TAIWAN = "taiwan", _("台湾居民来往大陆通行证")
    FOREIGN_RESIDENT = "foreign_resident", _("外国人永久居留身份证")
    CREDIT_CODE = "credit_code", _("统一社会信用代码证")
    OTHER = "other", _("其他有效证件")


class Channel(models.TextChoices):
    """How the application arrived; decides the receipt date (条例第三十一条)."""

    ONLINE = "online", _("网上申请")
    IN_PERSON = "in_person", _("当面提交")
    SIGNED_POST = "signed_post", _("邮寄（需签收）")
    ORDINARY_LETTER = "ordinary_letter", _("平常信函")
    FAX = "fax", _("传真")
    ORAL = "oral", _("口头申请（工作人员代为填写）")

    @property
    def needs_confirmation(self) -> bool:
        """条例第三十一条第（二）（三）项: these are received on the day both sides confirm."""
        return self in {Channel.ONLINE, Channel.FAX, Channel.ORDINARY_LETTER}


class ProvisionForm(models.TextChoices):
    PAPER = "paper", _("纸质")
    ELECTRONIC = "electronic", _("电子")
    INSPECTION = "inspection", _("查阅抄录")


class Delivery(models.TextChoices):
    POST = "post", _("邮寄")
    EMAIL = "email", _("电子邮件")
    PICKUP = "pickup", _("当面领取")
    ONLINE = "online", _("网上获取")


class Status(models.TextChoices):
    AWAITING_CONFIRMATION = "awaiting_confirmation", _("待确认")
    IN_PROGRESS = "in_progress", _("办理中")
    AWAITING_SUPPLEMENT = "awaiting_supplement", _("待补正")
    CONSULTING = "consulting", _("征求意见中")
    AWAITING_REASONS = "awaiting_reasons", _("待说明理由")
    AWAITING_PAYMENT = "awaiting_payment", _("待缴费")
    CLOSED = "closed", _("已办结")


class ReportRow(models.TextChoices):
    """The result rows of annual-report table 三 (2021 format), in printed order."""

    GRANTED = "1", _("（一）予以公开")
    PARTLY = "2", _("（二）部分公开")
    WITHHELD_STATE_SECRET = "3.1", _("（三）1.属于国家秘密")
    WITHHELD_OTHER_LAW = "3.2", _("（三）2.其他法律行政法规禁止公开")
    WITHHELD_SECURITY = "3.3", _("（三）3.危及“三安全一稳定”")
    WITHHELD_THIRD_PARTY = "3.4", _("（三）4.保护第三方合法权益")
    WITHHELD_INTERNAL = "3.5", _("（三）5.属于三类内部事务信息")
    WITHHELD_PROCESS = "3.6", _("（三）6.属于四类过程性信息")
    WITHHELD_ENFORCEMENT = "3.7", _("（三）7.属于行政执法案卷")
    WITHHELD_ENQUIRY = "3.8", _("（三）8.属于行政查询事项")
    UNABLE_NOT_HELD = "4.1", _("（四）1.本机关不掌握相关政府信息")
    UNABLE_NEEDS_CREATION = "4.2", _("（四）2.没有现成信息需要另行制作")
    UNABLE_UNCLEAR = "4.3", _("（四）3.补正后申请内容仍不明确")
    REJECTED_PETITION = "5.1", _("（五）1.信访举报投诉类申请")
    REJECTED_REPEATED = "5.2", _("（五）2.重复申请")
    REJECTED_PUBLICATION = "5.3", _("（五）3.要求提供公开出版物")
    REJECTED_MASS = "5.4", _("（五）4.无正当理由大量反复申请")
    REJECTED_CONFIRMATION = "5.5", _("（五）5.要求行政机关确认或重新出具已获取信息")
    OTHER_NO_SUPPLEMENT = (
        "6.1",
        _("（六）1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    )
    OTHER_UNPAID = (
        "6.2",
        _("（六）2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    )
    OTHER = "6.3", _("（六）3.其他")


class Outcome(models.TextChoices):
    """How an application was decided (条例第三十六条至第三十九条), each with its table-三 row."""

    ALREADY_PUBLIC = "already_public", _("已主动公开，告知获取方式和途径")
    PROVIDED = "provided", _("予以公开，提供政府信息")
    PARTLY = "partly", _("部分公开（区分处理）")
    STATE_SECRET = "state_secret", _("不予公开：属于国家秘密")
    OTHER_LAW = "other_law", _("不予公开：其他法律、行政法规禁止公开")
    SECURITY = "security", _("不予公开：危及国家安全、公共安全、经济安全、社会稳定")
    THIRD_PARTY = "third_party", _("不予公开：保护第三方合法权益")
    INTERNAL_AFFAIRS = "internal_affairs", _("不予公开：属于三类内部事务信息")
    PROCESS_INFO = "process_info", _("不予公开：属于四类过程性信息")
    ENFORCEMENT_FILE = "enforcement_file", _("不予公开：属于行政执法案卷")
    ENQUIRY_MATTER = "enquiry_matter", _("不予公开：属于行政查询事项")
    NOT_HELD = "not_held", _("无法提供：本机关不掌握相关政府信息")
    NEEDS_CREATION = "needs_creation", _("无法提供：没有现成信息需要另行制作")
    STILL_UNCLEAR = "still_unclear", _("无法提供：补正后申请内容仍不明确")
    PETITION = "petition", _("不予处理：信访举报投诉类申请")
    REPEATED = "repeated", _("不予处理：重复申请")
    PUBLICATION = "publication", _("不予处理：要求提供公开出版物")
    MASS_APPLICATIONS = "mass_applications", _("不予处理：无正当理由大量反复申请")
    CONFIRMATION = "confirmation", _("不予处理：要求行政机关确认或重新出具已获取信息")
    NO_SUPPLEMENT = "no_supplement", _("逾期不补正，不再处理")
    UNPAID = "unpaid", _("逾期未缴纳信息处理费，不再处理")
    WITHDRAWN = "withdrawn", _("申请人撤回申请")
    OTHER = "other", _("其他处理")

    @property
    def report_row(self) -> ReportRow:
        return OUTCOME_REPORT_ROWS[self]

    @property
    def legal_basis(self) -> str:
        return OUTCOME_BASIS[self]

    @property
    def withholds(self) -> bool:
        """Whether the decision withholds information, which makes 复议 come first.

        行政复议法第二十三条第一款第（四）项 (in force 2024-01-01): an applicant who
        disputes a 不予公开 decision must apply for 行政复议 before suing.
        """
        return self is Outcome.PARTLY or OUTCOME_REPORT_ROWS[self].value.startswith("3.")


OUTCOME_REPORT_ROWS: dict[Outcome, ReportRow] = {
    Outcome.ALREADY_PUBLIC: ReportRow.GRANTED,
    Outcome.PROVIDED: ReportRow.GRANTED,
    # 区分处理的，只计这一情形，不计其他情形 (table 三, R4).
    Outcome.PARTLY: ReportRow.PARTLY,
    Outcome.STATE_SECRET: ReportRow.WITHHELD_STATE_SECRET,
    Outcome.OTHER_LAW: ReportRow.WITHHELD_OTHER_LAW,
    Outcome.SECURITY: ReportRow.WITHHELD_SECURITY,
    Outcome.THIRD_PARTY: ReportRow.WITHHELD_THIRD_PARTY,
    Outcome.INTERNAL_AFFAIRS: ReportRow.WITHHELD_INTERNAL,
    Outcome.PROCESS_INFO: ReportRow.WITHHELD_PROCESS,
    Outcome.ENFORCEMENT_FILE: ReportRow.WITHHELD_ENFORCEMENT,
    Outcome.ENQUIRY_MATTER: ReportRow.WITHHELD_ENQUIRY,
    Outcome.NOT_HELD: ReportRow.UNABLE_NOT_HELD,
    Outcome.NEEDS_CREATION: ReportRow.UNABLE_NEEDS_CREATION,
    Outcome.STILL_UNCLEAR: ReportRow.UNABLE_UNCLEAR,
    Outcome.PETITION: ReportRow.REJECTED_PETITION,
    Outcome.REPEATED: ReportRow.REJECTED_REPEATED,
    Outcome.PUBLICATION: ReportRow.REJECTED_PUBLICATION,
    Outcome.MASS_APPLICATIONS: ReportRow.REJECTED_MASS,
    Outcome.CONFIRMATION: ReportRow.REJECTED_CONFIRMATION,
    Outcome.NO_SUPPLEMENT: ReportRow.OTHER_NO_SUPPLEMENT,
    Outcome.UNPAID: ReportRow.OTHER_UNPAID,
    Outcome.WITHDRAWN: ReportRow.OTHER,
    Outcome.OTHER: ReportRow.OTHER,
}

REGULATION = "《中华人民共和国政府信息公开条例》"
OUTCOME_BASIS: dict[Outcome, str] = {
    Outcome.ALREADY_PUBLIC: REGULATION + "第三十六条第（一）项",
    Outcome.PROVIDED: REGULATION + "第三十六条第（二）项",
    Outcome.PARTLY: REGULATION + "第三十七条",
    Outcome.STATE_SECRET: REGULATION + "第十四条、第三十六条第（三）项",
    Outcome.OTHER_LAW: REGULATION + "第十四条、第三十六条第（三）项",
    Outcome.SECURITY: REGULATION + "第十四条、第三十六条第（三）项",
    Outcome.THIRD_PARTY: REGULATION + "第十五条、第三十二条、第三十六条第（三）项",
    Outcome.INTERNAL_AFFAIRS: REGULATION + "第十六条第一款、第三十六条第（三）项",
    Outcome.PROCESS_INFO: REGULATION + "第十六条第二款、第三十六条第（三）项",
    Outcome.ENFORCEMENT_FILE: REGULATION + "第十六条第二款、第三十六条第（三）项",
    Outcome.ENQUIRY_MATTER: REGULATION + "第三十六条第（七）项",
    Outcome.NOT_HELD: REGULATION + "第三十六条第（四）项、第（五）项",
    Outcome.NEEDS_CREATION: REGULATION + "第三十八条",
    Outcome.STILL_UNCLEAR: REGULATION + "第三十条",
    Outcome.PETITION: REGULATION + "第三十九条第一款",
    Outcome.REPEATED: REGULATION + "第三十六条第（六）项",
    Outcome.PUBLICATION: REGULATION + "第三十九条第二款",
    Outcome.MASS_APPLICATIONS: REGULATION + "第三十五条",
    Outcome.CONFIRMATION: REGULATION + "第三十六条",
    Outcome.NO_SUPPLEMENT: REGULATION + "第三十条",
    Outcome.UNPAID: "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
    Outcome.WITHDRAWN: "",
    Outcome.OTHER: "",
}
