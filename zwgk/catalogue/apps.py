from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "zwgk.catalogue"
    verbose_name = _("主动公开目录")
