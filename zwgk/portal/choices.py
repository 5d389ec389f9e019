from django.db import models
from django.utils.translation import gettext_lazy as _


class TextSize(models.TextChoices):
    """Text size of the public pages; 大字版 is the 适老化 mode for older readers."""

    STANDARD = "standard", _("标准版")
    LARGE = "large", _("大字版")


class Contrast(models.TextChoices):
    """Colour scheme of the public pages."""

    STANDARD = "standard", _("常规配色")
    HIGH = "high", _("高对比度")
