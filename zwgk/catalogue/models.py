from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from zwgk.catalogue.choices import (
    Audience,
    Channel,
    DeadlineKind,
    DisclosureLevel,
    DisclosureMode,
    LegalCategory,
    Period,
)
from zwgk.catalogue.deadlines import (
    DEFAULT_WORKING_DAYS,
    MAX_WORKING_DAYS,
    DeadlineError,
    format_deadline,
    parse_deadline,
)

MAX_SORT_ORDER = 999_999
SORT_DIGITS = 6
PK_DIGITS = 9
PATH_STEP = SORT_DIGITS + 1 + PK_DIGITS + 1  # “000003.000000042/”
MAX_DEPTH = 8


class CatalogueItemQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view") -> "CatalogueItemQuerySet":
        """Items of the agencies ``user`` may reach for ``action`` (see accounts.permissions)."""
        from zwgk.accounts.permissions import restrict

        return restrict(self, user, action)

    def active(self) -> "CatalogueItemQuerySet":
        return self.filter(is_active=True)

    def tree(self) -> "CatalogueItemQuerySet":
        """Depth first, siblings by 序号: the order of the 标准目录 sheet."""
        return self.order_by("agency__path", "agency_id", "path")


class CatalogueItem(models.Model):
    """One 公开事项 of an agency's 主动公开基本目录 (条例第十二条), with its 标准目录 columns.

    Items form a tree per agency: 一级事项 (no parent), 二级事项 below them,
    deeper levels allowed.  ``path`` is a materialised path of (序号, id)
    steps, so that ordering by it lists the tree depth first with siblings
    by 序号.  Items are never deleted — records refer to them — only
    deactivated (``is_active``).
    """

    agency = models.ForeignKey(
        "organizations.Agency",
        verbose_name=_("机关"),
        on_delete=models.PROTECT,
        related_name="catalogue_items",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级事项"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text=_("一级事项留空。"),
    )
    sort_order = models.PositiveIntegerField(
        _("序号"), default=0, validators=[MaxValueValidator(MAX_SORT_ORDER)]
    )
    name = models.CharField(_("公开事项"), max_length=200)
    content = models.TextField(_("公开内容（要素）"), blank=True)
    basis = models.TextField(_("公开依据"), blank=True)
    deadline_kind = models.CharField(
        _("公开时限类型"),
        max_length=16,
        choices=DeadlineKind.choices,
        default=DeadlineKind.WORKING_DAYS,
    )
    deadline_days = models.PositiveSmallIntegerField(
        _("工作日数"),
        default=DEFAULT_WORKING_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_WORKING_DAYS)],
        help_text=_(
            "“工作日”类：信息形成或变更之日起的工作日数（条例第二十六条默认20个）；"
            "“定期”类：周期结束后的工作日数。"
        ),
    )
    deadline_period = models.CharField(
        _("公开周期"), max_length=16, choices=Period.choices, blank=True
    )
    deadline_note = models.CharField(
        _("公开时限说明"),
        max_length=200,
        blank=True,
        help_text=_("目录中显示的时限原文；留空则按上面的类型自动生成。“其他”类必填。"),
    )
    subject = models.CharField(_("公开主体"), max_length=200, blank=True)
    channels = models.JSONField(
        _("公开渠道和载体"),
        default=list,
        blank=True,
        help_text=_("政府网站、两微一端、政府公报等（见公开渠道词表）。"),
    )
    audience = models.CharField(
        _("公开对象"), max_length=16, choices=Audience.choices, default=Audience.PUBLIC
    )
    mode = models.CharField(
        _("公开方式"),
        max_length=16,
        choices=DisclosureMode.choices,
        default=DisclosureMode.PROACTIVE,
    )
    levels = models.JSONField(_("公开层级"), default=list, blank=True)
    legal_category = models.PositiveSmallIntegerField(
        _("条例第二十条类别"),
        choices=LegalCategory.choices,
        null=True,
        blank=True,
        help_text=_("该事项对应的条例第二十条第（一）至（十五）项。"),
    )
    template_key = models.CharField(_("来源模板"), max_length=40, blank=True, editable=False)
    is_active = models.BooleanField(_("启用"), default=True)
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    objects = CatalogueItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("目录事项")
        verbose_name_plural = _("主动公开基本目录")
        ordering = ["agency_id", "path"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "name"],
                condition=models.Q(parent__isnull=True),
                name="catalogue_unique_top_level_name",
                violation_error_message=_("本机关已有同名的一级事项。"),
            ),
            models.UniqueConstraint(
                fields=["parent", "name"],
                name="catalogue_unique_child_name",
                violation_error_message=_("同一上级事项下已有同名事项。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        """Save, then keep ``path`` (and the paths below it) in step with parent and 序号."""
        super().save(*args, **kwargs)
        parent_path = self.parent.path if self.parent_id else ""
        new_path = f"{parent_path}{self.sort_order:0{SORT_DIGITS}d}.{self.pk:0{PK_DIGITS}d}/"
        if new_path == self.path:
            return
        old_path, self.path = self.path, new_path
        CatalogueItem.objects.filter(pk=self.pk).update(path=new_path)
        if old_path:
            below = CatalogueItem.objects.filter(path__startswith=old_path).exclude(pk=self.pk)
            for pk, path in below.values_list("pk", "path"):
                CatalogueItem.objects.filter(pk=pk).update(path=new_path + path[len(old_path) :])

    @property
    def depth(self) -> int:
        """1 for a 一级事项, 2 for a 二级事项, …"""
        if self.path:
            return len(self.path) // PATH_STEP
        return self.parent.depth + 1 if self.parent_id else 1

    @property
    def deadline_text(self) -> str:
        """The 公开时限 cell as the catalogue shows it."""
        return format_deadline(
            self.deadline_kind, self.deadline_days, self.deadline_period, self.deadline_note
        )

    def channel_labels(self) -> list[str]:
        return [str(Channel(value).label) for value in self.channels if value in Channel.values]

    def level_labels(self) -> list[str]:
        return [
            str(DisclosureLevel(value).label)
            for value in self.levels
            if value in DisclosureLevel.values
        ]

    def name_path(self) -> list[str]:
        """The names from the 一级事项 down to this item (one query per level)."""
        names, node = [], self
        while node is not None:
            names.append(node.name)
            node = node.parent
        return names[::-1]

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.parent_id:
            if self.parent.agency_id != self.agency_id:
                errors.setdefault("parent", []).append(_("上级事项必须属于同一机关。"))
            if self.parent.depth >= MAX_DEPTH:
                errors.setdefault("parent", []).append(
                    _("目录最多%(depth)d级。") % {"depth": MAX_DEPTH}
                )
            if self.pk:
                ancestor = self.parent
                while ancestor is not None:
                    if ancestor.pk == self.pk:
                        errors.setdefault("parent", []).append(
                            _("上级事项不能是本事项或其下级事项。")
                        )
                        break
                    ancestor = ancestor.parent
        for field, message in self._deadline_errors().items():
            errors.setdefault(field, []).append(message)
        for field, vocabulary in (("channels", Channel), ("levels", DisclosureLevel)):
            message = _vocabulary_error(getattr(self, field), vocabulary)
            if message:
                errors.setdefault(field, []).append(message)
        if errors:
            raise ValidationError(errors)

    def _deadline_errors(self) -> dict[str, str]:
        kind = self.deadline_kind
        if kind == DeadlineKind.PERIODIC and not self.deadline_period:
            return {"deadline_period": _("“定期”公开须选择公开周期。")}
        if kind != DeadlineKind.PERIODIC and self.deadline_period:
            return {"deadline_period": _("只有“定期”公开填写公开周期。")}
        if kind == DeadlineKind.OTHER:
            if not self.deadline_note:
                return {"deadline_note": _("“其他”类公开时限须填写时限说明。")}
            return {}
        if self.deadline_note:
            # The wording shown must say what the structured rule counts.
            try:
                parsed = parse_deadline(self.deadline_note)
            except DeadlineError as exc:
                return {"deadline_note": str(exc)}
            if (parsed.kind, parsed.period) != (kind, self.deadline_period) or (
                kind != DeadlineKind.REAL_TIME and parsed.days != self.deadline_days
            ):
                return {"deadline_note": _("时限说明与公开时限类型、工作日数或周期不一致。")}
        return {}


def _vocabulary_error(values, vocabulary) -> str:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        return str(_("应为取值列表。"))
    unknown = [v for v in values if v not in vocabulary.values]
    if unknown:
        allowed = "、".join(str(label) for label in vocabulary.labels)
        return str(_("无效的取值：%(unknown)s。可用：%(allowed)s。")) % {
            "unknown": "、".join(unknown),
            "allowed": allowed,
        }
    if len(set(values)) != len(values):
        return str(_("取值重复。"))
    return ""
