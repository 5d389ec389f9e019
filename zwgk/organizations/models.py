from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from zwgk.organizations.choices import AgencyKind, AgencyLevel
from zwgk.organizations.validators import (
    validate_credit_code,
    validate_division_code,
    validate_org_code,
)

PATH_STEP = 8  # digits per tree level in Agency.path
# 政府信息公开工作机构 contact data (条例第十二条), in the order the 指南 shows it.
OFFICE_CONTACT_FIELDS = (
    "office_name",
    "office_address",
    "office_postcode",
    "office_hours",
    "office_phone",
    "office_fax",
    "office_email",
    "office_website",
)


class AgencyQuerySet(models.QuerySet):
    def subtree(self, agency: "Agency") -> "AgencyQuerySet":
        """The agency and everything below it (materialised path prefix match)."""
        return self.filter(path__startswith=agency.path)

    def restrict(self, user, action: str = "view") -> "AgencyQuerySet":
        from zwgk.accounts.permissions import restrict

        return restrict(self, user, action, agency_field=None)


class Agency(models.Model):
    """A 行政机关 (or organisation acting in its own name) that discloses information.

    The tree runs 国务院 → 省 → 市 → 县 → 乡镇 governments; each government's
    工作部门, 派出机关/派出机构 and 内设机构 hang below it.  ``path`` is a
    materialised path (``00000001/00000007/``) so that a supervisor's subtree is
    one indexed prefix query.
    """

    name = models.CharField(_("标准全称"), max_length=120, unique=True)
    short_name = models.CharField(_("简称"), max_length=60, blank=True)
    kind = models.CharField(_("机关类型"), max_length=24, choices=AgencyKind.choices)
    level = models.CharField(_("层级"), max_length=16, choices=AgencyLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级机关"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("部门填本级人民政府；人民政府填上一级人民政府；派出机构填设立它的部门。"),
    )
    credit_code = models.CharField(
        _("统一社会信用代码"),
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
    )
    org_code = models.CharField(
        _("组织机构代码"), max_length=10, blank=True, validators=[validate_org_code]
    )
    division_code = models.CharField(
        _("行政区划代码"), max_length=12, blank=True, validators=[validate_division_code]
    )
    index_prefix = models.CharField(
        _("索引号前缀"),
        max_length=40,
        blank=True,
        help_text=_("生成索引号时使用，如 000014349 或 KZ044。"),
    )
    vertically_managed = models.BooleanField(
        _("垂直管理"),
        default=False,
        help_text=_("海关、金融、外汇管理等实行垂直领导的机关及税务、国家安全机关。"),
    )
    supervising_authority = models.ForeignKey(
        "self",
        verbose_name=_("上一级主管部门"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vertically_managed_agencies",
        help_text=_("垂直管理机关的行政复议机关（行政复议法第二十七条）。"),
    )
    # 政府信息公开工作机构 contact data for the 指南 (条例第十二条).
    office_name = models.CharField(_("政府信息公开工作机构名称"), max_length=120, blank=True)
    office_address = models.CharField(_("办公地址"), max_length=200, blank=True)
    office_postcode = models.CharField(_("邮政编码"), max_length=6, blank=True)
    office_hours = models.CharField(_("办公时间"), max_length=200, blank=True)
    office_phone = models.CharField(_("联系电话"), max_length=60, blank=True)
    office_fax = models.CharField(_("传真"), max_length=60, blank=True)
    office_email = models.EmailField(_("电子邮箱"), blank=True)
    office_website = models.URLField(_("网上联系方式"), blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("机关")
        verbose_name_plural = _("机关")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~models.Q(credit_code=""),
                name="agency_unique_credit_code",
                violation_error_message=_("统一社会信用代码已被其他机关使用。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        """Save, then keep ``path`` (and the paths below it) in step with ``parent``."""
        super().save(*args, **kwargs)
        parent_path = self.parent.path if self.parent_id else ""
        new_path = f"{parent_path}{self.pk:0{PATH_STEP}d}/"
        if new_path == self.path:
            return
        old_path, self.path = self.path, new_path
        Agency.objects.filter(pk=self.pk).update(path=new_path)
        if old_path:
            for child in Agency.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                child.path = new_path + child.path[len(old_path) :]
                Agency.objects.filter(pk=child.pk).update(path=child.path)

    @property
    def depth(self) -> int:
        return len(self.path) // (PATH_STEP + 1)

    def clean(self) -> None:
        # Below the province a government's 复议机关 is the government one level up
        # (行政复议法第二十四条第一款第（二）项); a province hears its own cases
        # (第二十四条第二款), so a province may be the top of a deployment's tree.
        needs_upper_government = self.kind == AgencyKind.GOVERNMENT and self.level not in (
            AgencyLevel.NATIONAL,
            AgencyLevel.PROVINCE,
        )
        if needs_upper_government and self.parent_id is None:
            raise ValidationError({"parent": _("省级以下地方人民政府必须有上一级人民政府。")})
        if self.kind != AgencyKind.GOVERNMENT and self.parent_id is None:
            raise ValidationError({"parent": _("非政府机关必须有上级机关。")})
        if self.vertically_managed and self.supervising_authority_id is None:
            raise ValidationError(
                {"supervising_authority": _("垂直管理机关必须填写上一级主管部门。")}
            )
        if self.pk and self.parent_id:
            ancestor = self.parent
            while ancestor is not None:
                if ancestor.pk == self.pk:
                    raise ValidationError({"parent": _("上级机关不能是本机关或其下级机关。")})
                ancestor = ancestor.parent

    def government(self) -> "Agency | None":
        """本级人民政府: the nearest government at or above this agency."""
        node = self
        while node is not None and node.kind != AgencyKind.GOVERNMENT:
            node = node.parent
        return node

    def ancestors(self) -> list["Agency"]:
        """From the root down to the parent, in one query."""
        ids = [int(part) for part in self.path.strip("/").split("/")[:-1] if part]
        by_id = Agency.objects.in_bulk(ids)
        return [by_id[i] for i in ids if i in by_id]
