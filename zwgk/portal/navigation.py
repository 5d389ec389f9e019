"""The public site's navigation: the main sections and the 政府信息公开 column.

The column's four fixed parts and the 依申请公开 entry beside them follow
国办公开办函〔2019〕61号.  Labels and descriptions live here only; menus,
entry cards, page titles and breadcrumbs read them.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    description: str | Promise = ""

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class NavLink:
    """A navigation item on one page; ``current`` is the value of ``aria-current``, if any."""

    label: str | Promise
    url: str
    current: str


@dataclass(frozen=True)
class Crumb:
    """One breadcrumb after 首页 (which the layout adds); the current page has no ``url``."""

    label: str | Promise
    url: str = ""


HOME = NavItem(_("首页"), "portal:home")
DISCLOSURE = NavItem(_("政府信息公开"), "portal:disclosure")
INTERPRETATIONS = NavItem(_("政策解读"), "portal:interpretations")
SEARCH = NavItem(_("搜索"), "portal:search")

GUIDE = NavItem(
    _("政府信息公开指南"),
    "portal:disclosure_guide",
    _("信息分类与编排、获取方式，政府信息公开工作机构的地址、时间和联系方式。"),
)
RULES = NavItem(
    _("政府信息公开制度"),
    "portal:disclosure_rules",
    _("本机关政府信息公开工作的规章制度。"),
)
STATUTORY = NavItem(
    _("法定主动公开内容"),
    "portal:disclosure_statutory",
    _("依照条例第二十条、第二十一条应当主动公开的政府信息。"),
)
ANNUAL_REPORTS = NavItem(
    _("政府信息公开年报"),
    "portal:disclosure_reports",
    _("每年3月31日前公布的上一年度政府信息公开工作年度报告。"),
)
APPLY = NavItem(
    _("依申请公开"),
    "portal:disclosure_apply",
    _("申请获取未主动公开的政府信息，查询申请办理进度。"),
)

MAIN_NAV = (HOME, DISCLOSURE, INTERPRETATIONS, SEARCH)
DISCLOSURE_NAV = (GUIDE, RULES, STATUTORY, ANNUAL_REPORTS, APPLY)


def current_state(url: str, path: str) -> str:
    """``page`` on the item's own page, ``true`` anywhere below it (a section), else ``""``."""
    if path == url:
        return "page"
    if url != "/" and path.startswith(url):
        return "true"
    return ""


def links(items: tuple[NavItem, ...], path: str) -> list[NavLink]:
    return [NavLink(item.label, item.url, current_state(item.url, path)) for item in items]
