from django.db import models
from django.utils.translation import gettext_lazy as _

# ``DeclaredDay.is_off_day``: what the State Council notice declared for the day.
DAY_KINDS = [(True, _("放假")), (False, _("调休上班"))]


class SkipReason(models.TextChoices):
    """Why a day between the start and the due date was not counted."""

    WEEKEND = "weekend", _("周末")
    HOLIDAY = "holiday", _("放假")
    PAUSED = "paused", _("暂停计时")
