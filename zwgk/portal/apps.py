from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "zwgk.portal"
    verbose_name = _("门户")

    def ready(self) -> None:
        from zwgk.portal.cache import connect_signals

        connect_signals()
