"""主动公开 records (政府信息) with the gov.cn metadata header (rules.md §2).

A :class:`Record` is one piece of government information an agency publishes
on its own initiative (条例第十九条、第二十条).  Its metadata is the header
printed above every gov.cn document: 索引号, 主题分类, 发文机关, 成文日期,
标题, 发文字号, 发布日期, 文种, 公开属性, 有效性, 主题词, 内容概述.  Records
change state only through :mod:`zwgk.records.actions`; once published, every
change is kept as an append-only :class:`RecordVersion`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from zwgk.records.choices import (
    Disclosure,
    DocType,
    InterpretationForm,
    RecordKind,
    Status,
    Validity,
    VersionReason,
)
from zwgk.records.docnum import normalize_docnum
from zwgk.records.indexnum import DEFAULT_TEMPLATE, validate_index_template
from zwgk.records.sanitize import clean_body_html
from zwgk.utils.script import to_simplified

SUMMARY_MAX = 100  # 内容概述 usually ≤ 100 characters (rules.md §2)


class TopicCategory(models.Model):
    """主题分类: a two-level taxonomy written ``一级\\二级`` (``综合政务\\政务公开``).

    The first level is seeded with gov.cn's 22 classes (migration 0002) and
    maintained by the platform administrators; offices add second levels.
    Local sites adapt the list, so it lives in the database (style.md §8).
    """

    name = models.CharField(_("名称"), max_length=60)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("一级分类"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("留空为一级分类；填写则为该一级分类下的二级分类。"),
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("主题分类")
        verbose_name_plural = _("主题分类")
        ordering = ["parent__sort_order", "parent__name", "sort_order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"],
                name="records_topic_unique_child",
                violation_error_message=_("该一级分类下已有同名的二级分类。"),
            ),
            models.UniqueConstraint(
                fields=["name"],
                condition=models.Q(parent__isnull=True),
                name="records_topic_unique_root",
                violation_error_message=_("已有同名的一级分类。"),
            ),
        ]

    def __str__(self) -> str:
        if self.parent_id:
            return f"{self.parent.name}\\{self.name}"
        return self.name

    def clean(self) -> None:
        if self.parent_id is None:
            return
        if self.parent.parent_id is not None:
            raise ValidationError({"parent": _("主题分类只有两级：上级必须是一级分类。")})
        if self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("上级分类不能是本分类。")})
        if self.pk and self.children.exists():
            raise ValidationError({"parent": _("该分类下已有二级分类，不能再改为二级分类。")})


class RecordQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view") -> "RecordQuerySet":
        from zwgk.accounts.permissions import restrict

        return restrict(self, user, action)

    def published(self) -> "RecordQuerySet":
        return self.filter(status=Status.PUBLISHED)

    def withheld_due_for_review(self, today) -> "RecordQuerySet":
        """不予公开 records whose periodic review date has come (条例第十八条)."""
        return self.filter(disclosure=Disclosure.WITHHELD, next_review_on__lte=today)

    def policies(self) -> "RecordQuerySet":
        return self.filter(kind=RecordKind.POLICY)

    def interpretations(self) -> "RecordQuerySet":
        return self.filter(kind=RecordKind.INTERPRETATION)


class Record(models.Model):
    """政府信息: one record of 主动公开 with its metadata header (rules.md §2).

    ``agency`` publishes it and owns the 索引号; ``issuers`` are the 发文机关
    (several for a 联合发文).  ``doc_number`` keeps the 发文字号 as written,
    ``doc_number_normalized`` its canonical form (:func:`~zwgk.records.docnum.normalize_docnum`)
    for matching.  ``formed_on`` (信息形成或者变更日期) starts the 20-working-day
    publication limit of 条例第二十六条.
    """

    agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name=_("发布机关"),
        on_delete=models.PROTECT,
        related_name="records",
    )
    issuers = models.ManyToManyField(
        "organizations.Agency",
        verbose_name=_("发文机关"),
        related_name="issued_records",
        blank=True,
        help_text=_("联合发文时选择全部发文机关；留空则为发布机关。"),
    )
    index_number = models.CharField(
        _("索引号"),
        max_length=80,
        blank=True,
        editable=False,
        help_text=_("发布时按本机关的索引号模板自动生成。"),
    )
    title = models.CharField(_("标题"), max_length=300)
    summary = models.CharField(
        _("内容概述"),
        max_length=SUMMARY_MAX,
        blank=True,
        error_messages={
            "max_length": _("内容概述不超过%(limit_value)d字（当前%(show_value)d字）。")
        },
    )
    doc_number = models.CharField(
        _("发文字号"),
        max_length=100,
        blank=True,
        help_text=_("按原文填写，如 鲁政办发〔2017〕39号。"),
    )
    doc_number_normalized = models.CharField(
        _("规范化发文字号"), max_length=100, blank=True, editable=False, db_index=True
    )
    written_on = models.DateField(_("成文日期"), help_text=_("公文的生成日期即成文日期。"))
    formed_on = models.DateField(
        _("信息形成（变更）日期"),
        null=True,
        blank=True,
        help_text=_("计算公开时限的起点（条例第二十六条）；留空则同成文日期。"),
    )
    published_at = models.DateTimeField(_("发布日期"), null=True, blank=True, editable=False)
    topic = models.ForeignKey(
        TopicCategory,
        verbose_name=_("主题分类"),
        on_delete=models.PROTECT,
        related_name="records",
    )
    doc_type = models.CharField(_("文种"), max_length=20, choices=DocType.choices)
    keywords = models.CharField(_("主题词"), max_length=200, blank=True)
    disclosure = models.CharField(
        _("公开属性"), max_length=16, choices=Disclosure.choices, default=Disclosure.PROACTIVE
    )
    withhold_reason = models.TextField(
        _("不予公开理由"), blank=True, help_text=_("不予公开时必填，写明依据。")
    )
    next_review_on = models.DateField(
        _("下次复查日期"),
        null=True,
        blank=True,
        help_text=_("不予公开的信息应定期评估审查，可以公开的及时公开（条例第十八条）。"),
    )
    validity = models.CharField(
        _("有效性"), max_length=16, choices=Validity.choices, default=Validity.VALID
    )
    abolished_on = models.DateField(_("废止（失效、修改）日期"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("替代文件"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaces",
        help_text=_("修改或替代本文件的新文件。"),
    )
    body = models.TextField(_("正文"), blank=True, help_text=_("保存时自动清理不安全的 HTML。"))
    catalogue_item = models.ForeignKey(
        "catalogue.CatalogueItem",
        verbose_name=_("目录事项"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
        help_text=_("本机关主动公开基本目录中的事项，决定公开时限；留空按20个工作日计算。"),
    )
    kind = models.CharField(
        _("信息类别"),
        max_length=16,
        choices=RecordKind.choices,
        default=RecordKind.OTHER,
        db_index=True,
        help_text=_("政策文件可标注需要解读；政策解读关联其解读的政策文件。"),
    )
    needs_interpretation = models.BooleanField(
        _("需要解读"),
        default=False,
        help_text=_("政策文件与解读材料应同步发布；未发布解读前列入“缺少解读”。"),
    )
    interprets = models.ManyToManyField(
        "self",
        verbose_name=_("解读的政策文件"),
        symmetrical=False,
        blank=True,
        related_name="interpretations",
        help_text=_("本解读所解读的政策文件（可多个）。"),
    )
    interpretation_form = models.CharField(
        _("解读形式"), max_length=20, choices=InterpretationForm.choices, blank=True
    )
    author_unit = models.CharField(
        _("解读单位"),
        max_length=120,
        blank=True,
        help_text=_("谁起草、谁解读：一般为政策文件的起草单位。"),
    )
    status = models.CharField(
        _("状态"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        editable=False,
        db_index=True,
    )
    scheduled_for = models.DateTimeField(_("定时发布时间"), null=True, blank=True, editable=False)
    withdrawn_reason = models.TextField(_("撤回原因"), blank=True, editable=False)
    secrecy_checklist = models.JSONField(
        _("保密审查结论"), default=dict, blank=True, editable=False
    )
    pii_dispositions = models.JSONField(
        _("个人信息处理记录"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("保密审查中对每处个人信息的处理（遮蔽或说明理由后保留）；不含被遮蔽的原文。"),
    )
    secrecy_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("保密审查人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    secrecy_reviewed_at = models.DateTimeField(
        _("保密审查时间"), null=True, blank=True, editable=False
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审签人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("审签时间"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("起草人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="drafted_records",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("政府信息")
        verbose_name_plural = _("政府信息")
        ordering = ["-published_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["index_number"],
                condition=~models.Q(index_number=""),
                name="records_unique_index_number",
                violation_error_message=_("索引号已被其他信息使用。"),
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "status"], name="records_agency_status"),
            # The public pages (records.public): browse lists newest first and facet
            # counts read these partial covering indexes only (index-only scans).
            models.Index(
                fields=["agency", "-published_at", "-id"],
                name="records_public_agency_pub",
                include=["topic", "catalogue_item", "doc_type", "validity"],
                condition=models.Q(status="published", disclosure="proactive"),
            ),
            models.Index(
                fields=["-published_at", "-id"],
                name="records_public_pub",
                include=["agency", "topic", "catalogue_item", "doc_type", "validity"],
                condition=models.Q(status="published", disclosure="proactive"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.derive_fields()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            derived = {"doc_number": "doc_number_normalized", "written_on": "formed_on"}
            kwargs["update_fields"] = {
                *update_fields,
                *(derived[f] for f in update_fields if f in derived),
            }
        super().save(*args, **kwargs)

    def derive_fields(self) -> None:
        """Clean the body and set the derived fields: ``save`` does it, a ``bulk_create`` must."""
        self.body = clean_body_html(self.body)
        self.doc_number = self.doc_number.strip()
        self.author_unit = self.author_unit.strip()
        # Unparseable 文号 stay searchable by their original text only; a
        # traditional 文号 (示環公告2026年第1號) matches in simplified characters.
        self.doc_number_normalized = (normalize_docnum(to_simplified(self.doc_number)) or "")[:100]
        if self.formed_on is None:
            self.formed_on = self.written_on

    def clean(self) -> None:
        errors: dict[str, str] = {}
        # 条例第十四条至第十六条, 第十八条: withholding is reasoned and reviewed periodically.
        if self.disclosure == Disclosure.WITHHELD:
            if not self.withhold_reason.strip():
                errors["withhold_reason"] = _("不予公开的信息必须写明理由和依据。")
            if self.next_review_on is None:
                errors["next_review_on"] = _(
                    "不予公开的信息必须确定下次复查日期（条例第十八条：定期评估审查）。"
                )
        if self.validity != Validity.VALID and self.abolished_on is None:
            errors["abolished_on"] = _("有效性为失效、废止或已修改时，必须填写相应日期。")
        if self.validity == Validity.AMENDED and self.replaced_by_id is None:
            errors["replaced_by"] = _("已修改的文件必须关联修改它的新文件。")
        if self.replaced_by_id is not None and self.replaced_by_id == self.pk:
            errors["replaced_by"] = _("替代文件不能是本文件。")
        if self.formed_on and self.written_on and self.formed_on < self.written_on:
            errors["formed_on"] = _("信息形成（变更）日期不能早于成文日期。")
        if self.abolished_on and self.written_on and self.abolished_on < self.written_on:
            errors["abolished_on"] = _("废止（失效、修改）日期不能早于成文日期。")
        item_id, agency_id = self.catalogue_item_id, self.agency_id
        if item_id and agency_id and self.catalogue_item.agency_id != agency_id:
            errors["catalogue_item"] = _("目录事项必须是发布机关自己目录中的事项。")
        if self.kind == RecordKind.INTERPRETATION:
            if not self.interpretation_form:
                errors["interpretation_form"] = _("政策解读须选择解读形式。")
            if not self.author_unit.strip():
                errors["author_unit"] = _("政策解读须填写解读单位（谁起草、谁解读）。")
        else:
            if self.interpretation_form:
                errors["interpretation_form"] = _("只有政策解读填写解读形式。")
            if self.author_unit.strip():
                errors["author_unit"] = _("只有政策解读填写解读单位。")
        if self.needs_interpretation and self.kind != RecordKind.POLICY:
            errors["needs_interpretation"] = _("只有政策文件可以标注需要解读。")
        if errors:
            raise ValidationError(errors)

    @property
    def topic_path(self) -> str:
        return str(self.topic) if self.topic_id else ""

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED


class RecordVersionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("RecordVersion is append-only")

    def delete(self):
        raise TypeError("RecordVersion is append-only")


class RecordVersion(models.Model):
    """One published state of a record, append-only: what the public saw and when.

    Written on publication and on every later change (更正、撤回、重新发布、
    有效性变更), inside the action's transaction; ``data`` holds the metadata,
    the body and the attachment list (:func:`~zwgk.records.actions.record_snapshots`).
    """

    record = models.ForeignKey(
        Record, verbose_name=_("政府信息"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    reason = models.CharField(_("原因"), max_length=16, choices=VersionReason.choices)
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("内容"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)

    objects = RecordVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("历史版本")
        verbose_name_plural = _("历史版本")
        ordering = ["record", "number"]
        constraints = [
            models.UniqueConstraint(fields=["record", "number"], name="records_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.record} 第{self.number}版"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise TypeError("RecordVersion is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("RecordVersion is append-only")


class IndexNumberTemplate(models.Model):
    """An agency's 索引号 template (:mod:`zwgk.records.indexnum`).

    No national format exists (rules.md §2), so each agency keeps its own;
    without a row the default ``{prefix}/{year}-{serial:05d}`` applies.
    """

    agency = models.OneToOneField(
        "organizations.Agency",
        verbose_name=_("机关"),
        on_delete=models.CASCADE,
        related_name="index_number_template",
    )
    template = models.CharField(
        _("索引号模板"),
        max_length=100,
        default=DEFAULT_TEMPLATE,
        validators=[validate_index_template],
        help_text=_(
            "占位符：{org_code} 组织机构代码，{credit_code} 统一社会信用代码，"
            "{prefix} 索引号前缀，{year} 年份，{serial} 流水号（如 {serial:05d} 补足5位）。"
            "例：{org_code}/{year}-{serial:05d} → 000014349/2018-00222；"
            "{prefix}-{year}-{serial:06d} → KZ044-2018-000180。"
        ),
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("索引号模板")
        verbose_name_plural = _("索引号模板")
        ordering = ["agency__path"]

    def __str__(self) -> str:
        return f"{self.agency}：{self.template}"


class IndexSerial(models.Model):
    """The last 索引号 serial used by an agency in a year (locked while publishing)."""

    agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name=_("机关"),
        on_delete=models.CASCADE,
        related_name="index_serials",
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    last = models.PositiveIntegerField(_("已用流水号"), default=0)

    class Meta:
        verbose_name = _("索引号流水号")
        verbose_name_plural = _("索引号流水号")
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="records_serial_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}: {self.last}"


class Attachment(models.Model):
    """A file published with a record: PDF, DOCX, XLSX, JPG or PNG, at most 50 MB.

    Type is checked by extension and content (:mod:`zwgk.records.attachments`);
    the text of PDF and DOCX files is extracted for search and for the
    personal-information scan (去标识化, rules.md §2).
    """

    record = models.ForeignKey(
        Record, verbose_name=_("政府信息"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("文件"), upload_to="records/%Y/%m/")
    original_name = models.CharField(_("原文件名"), max_length=255)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, editable=False)
    extracted_text = models.TextField(_("提取的文本"), blank=True, editable=False)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        ordering = ["record", "sort_order", "pk"]

    def __str__(self) -> str:
        return self.original_name
