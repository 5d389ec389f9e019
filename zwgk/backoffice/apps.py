from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class BackofficeAdminConfig(AdminConfig):
    """Django's admin, running as the zwgk back office site."""

    default_site = "zwgk.backoffice.site.BackofficeSite"


class BackofficeConfig(AppConfig):
    name = "zwgk.backoffice"
    label = "backoffice"
    verbose_name = _("管理后台")
