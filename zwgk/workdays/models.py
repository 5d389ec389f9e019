from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zwgk.workdays.choices import DAY_KINDS


class ScheduleYear(models.Model):
    """One loaded 节假日安排: the State Council notice for ``year`` and where it came from.

    A calendar year is *known* only when its notice is loaded; the deadline
    arithmetic refuses to count through an unknown year instead of guessing.
    """

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    source = models.CharField(
        _("来源"),
        max_length=500,
        help_text=_("通知标题或网址，或数据包名称与版本。"),
    )
    loaded_at = models.DateTimeField(_("导入时间"))
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("日历年度")
        verbose_name_plural = _("日历年度")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年节假日安排"


class DeclaredDay(models.Model):
    """A day the notice declares: 放假 (day off) or 调休上班 (make-up working day).

    ``schedule`` is the notice that declared it, which for the 元旦 arrangement
    may be the next year's (the 2019 notice declares 2018-12-29 to 2018-12-31).
    """

    date = models.DateField(_("日期"), unique=True)
    is_off_day = models.BooleanField(_("类型"), choices=DAY_KINDS)
    name = models.CharField(_("节日"), max_length=60)
    schedule = models.ForeignKey(
        ScheduleYear,
        verbose_name=_("所属通知年度"),
        on_delete=models.CASCADE,
        related_name="days",
    )

    class Meta:
        verbose_name = _("放假调休日")
        verbose_name_plural = _("放假调休日")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}{self.get_is_off_day_display()}"
