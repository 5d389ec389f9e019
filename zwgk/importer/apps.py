from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImporterConfig(AppConfig):
    name = "zwgk.importer"
    verbose_name = _("文件导入")
