"""The vocabularies of 主动公开 records: 文种, 公开属性, 有效性, workflow status.

Field names and values follow the gov.cn metadata header (rules.md §2,
"Metadata of a disclosed record").
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocType(models.TextChoices):
    """文种: the 15 kinds of 公文 (《党政机关公文处理工作条例》第八条), plus 其他."""

    RESOLUTION = "resolution", _("决议")
    DECISION = "decision", _("决定")
    ORDER = "order", _("命令（令）")
    COMMUNIQUE = "communique", _("公报")
    ANNOUNCEMENT = "announcement", _("公告")
    PUBLIC_NOTICE = "public_notice", _("通告")
    OPINION = "opinion", _("意见")
    NOTICE = "notice", _("通知")
    BULLETIN = "bulletin", _("通报")
    REPORT = "report", _("报告")
    REQUEST = "request", _("请示")
    REPLY = "reply", _("批复")
    MOTION = "motion", _("议案")
    LETTER = "letter", _("函")
    MINUTES = "minutes", _("纪要")
    OTHER = "other", _("其他")


class Disclosure(models.TextChoices):
    """公开属性 (条例第十三条至第十六条)."""

    PROACTIVE = "proactive", _("主动公开")
    ON_REQUEST = "on_request", _("依申请公开")
    WITHHELD = "withheld", _("不予公开")


class Validity(models.TextChoices):
    """有效性 (practice, 政府网站发展指引: mark abolished or amended documents clearly)."""

    VALID = "valid", _("有效")
    EXPIRED = "expired", _("失效")
    ABOLISHED = "abolished", _("废止")
    AMENDED = "amended", _("已修改")


class Status(models.TextChoices):
    """Where a record is in the publishing workflow (:mod:`zwgk.records.workflow`)."""

    DRAFT = "draft", _("草稿")
    SECRECY_REVIEW = "secrecy_review", _("待保密审查")
    AWAITING_APPROVAL = "awaiting_approval", _("待审签")
    SCHEDULED = "scheduled", _("定时待发布")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class SecrecyCheck(models.TextChoices):
    """The points a 保密审查 must confirm before publication (条例第十四条、第十五条、第十七条)."""

    STATE_SECRET = "state_secret", _("不涉及国家秘密")
    COMMERCIAL_SECRET = "commercial_secret", _("不涉及商业秘密")
    PRIVACY = "privacy", _("不涉及个人隐私，个人信息已去标识化")
    TIMING = "timing", _("公开时机适当，不危及“三安全一稳定”")


class VersionReason(models.TextChoices):
    """Why a :class:`~zwgk.records.models.RecordVersion` was written."""

    PUBLISH = "publish", _("发布")
    CORRECT = "correct", _("更正")
    WITHDRAW = "withdraw", _("撤回")
    REPUBLISH = "republish", _("重新发布")
    VALIDITY = "validity", _("有效性变更")


class RecordKind(models.TextChoices):
    """What a record is for 政策解读 (rules.md §5): a policy, its interpretation, or neither."""

    POLICY = "policy", _("政策文件")
    INTERPRETATION = "interpretation", _("政策解读")
    OTHER = "other", _("其他")


class InterpretationForm(models.TextChoices):
    """The forms of a 政策解读 (rules.md §5, the seeds' list: 文字、图片图表、音频视频、
    卡通动漫、简明问答、新闻发布会、专家解读)."""

    TEXT = "text", _("文字")
    GRAPHIC = "graphic", _("图解")
    AUDIO_VIDEO = "audio_video", _("音视频")
    CARTOON = "cartoon", _("卡通动漫")
    QA = "qa", _("问答")
    PRESS_CONFERENCE = "press_conference", _("新闻发布会")
    EXPERT = "expert", _("专家解读")
