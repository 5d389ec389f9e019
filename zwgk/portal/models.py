import re

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from zwgk.portal.contact import ContactItem, office_contact

SINGLETON_PK = 1
DEFAULT_SITE_NAME = "政务公开"


class SiteProfile(models.Model):
    """The public site's identity: its name, 主办单位 and the 备案 data every page footer shows.

    One row only (a singleton with primary key 1).  The owner agency's
    政府信息公开工作机构 contact data appears in the footer and in the
    政府信息公开指南 (条例第十二条).
    """

    name = models.CharField(
        _("网站名称"),
        max_length=100,
        default=DEFAULT_SITE_NAME,
        help_text=_("如：示范市人民政府门户网站。"),
    )
    owner = models.ForeignKey(
        "organizations.Agency",
        verbose_name=_("主办单位"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("页脚和政府信息公开指南显示该机关的名称及其政府信息公开工作机构的联系方式。"),
    )
    icp_record = models.CharField(
        _("ICP备案号"), max_length=60, blank=True, help_text=_("如：示ICP备12345678号。")
    )
    public_security_record = models.CharField(
        _("公安机关备案号"),
        max_length=60,
        blank=True,
        help_text=_("如：示公网安备 12345678901234号。"),
    )
    site_code = models.CharField(
        _("政府网站标识码"),
        max_length=10,
        blank=True,
        validators=[
            RegexValidator(r"^[0-9A-Za-z]{10}$", _("政府网站标识码由10位数字或字母组成。"))
        ],
    )
    footer_note = models.CharField(
        _("页脚说明"),
        max_length=300,
        blank=True,
        help_text=_("显示在页脚最后一行的简短说明。"),
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("网站基本信息")
        verbose_name_plural = _("网站基本信息")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(id=SINGLETON_PK), name="portal_siteprofile_singleton"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.pk = SINGLETON_PK
        super().save(*args, **kwargs)

    @property
    def owner_contact(self) -> list[ContactItem]:
        return office_contact(self.owner)

    @property
    def public_security_record_code(self) -> str:
        """The digits of the 公安机关备案号, which its query link on beian.mps.gov.cn needs."""
        return "".join(re.findall(r"\d", self.public_security_record))


class ContentGeneration(models.Model):
    """How many times what the public sees has changed; cached public pages carry the number.

    One row (primary key 1).  Every change of public content adds one in the
    changing transaction (:func:`zwgk.portal.cache.bump`), so a page cached
    before the change is never served after it commits, in any process.
    """

    value = models.BigIntegerField(_("版本"), default=0)

    class Meta:
        verbose_name = _("公开内容版本")
        verbose_name_plural = _("公开内容版本")

    def __str__(self) -> str:
        return str(self.value)
