from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class BackofficeSite(admin.AdminSite):
    """The staff back office: Chinese labels, every list scoped to the user's agencies."""

    site_header = _("政务公开管理后台")
    site_title = _("政务公开管理后台")
    index_title = _("工作台")
    site_url = "/"
    enable_nav_sidebar = True
