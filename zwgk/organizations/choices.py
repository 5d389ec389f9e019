from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.TextChoices):
    """What sort of 行政机关 an agency is.

    The kind decides its 复议机关 (行政复议法第二十四条至第二十七条).
    """

    GOVERNMENT = "government", _("人民政府")
    DEPARTMENT = "department", _("工作部门")
    DISPATCHED_ORGAN = "dispatched_organ", _("派出机关")
    DISPATCHED_OFFICE = "dispatched_office", _("派出机构")
    INTERNAL = "internal", _("内设机构（以自己名义履职）")
    AUTHORIZED = "authorized", _("法律、法规、规章授权的组织")


class AgencyLevel(models.TextChoices):
    """Administrative level, from the State Council down to the township."""

    NATIONAL = "national", _("国家级")
    PROVINCE = "province", _("省级")
    CITY = "city", _("市级")
    COUNTY = "county", _("县级")
    TOWNSHIP = "township", _("乡级")


class ImportStatus(models.TextChoices):
    """What importing one spreadsheet row did to its agency."""

    CREATED = "created", _("新建")
    UPDATED = "updated", _("更新")
    UNCHANGED = "unchanged", _("未变化")
