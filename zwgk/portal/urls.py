from django.urls import path
from django.views.generic import TemplateView

from zwgk.portal import navigation, views

app_name = "portal"
urlpatterns = [
    path("", TemplateView.as_view(template_name="portal/home.html"), name="home"),
    path(
        "zfxxgk/",
        views.PortalPageView.as_view(
            title=navigation.DISCLOSURE.label, template_name="portal/disclosure/index.html"
        ),
        name="disclosure",
    ),
    path(
        "zfxxgk/guide/",
        views.DisclosurePartView.as_view(
            title=navigation.GUIDE.label, template_name="portal/disclosure/guide.html"
        ),
        name="disclosure_guide",
    ),
    path(
        "zfxxgk/rules/",
        views.DisclosurePartView.as_view(title=navigation.RULES.label),
        name="disclosure_rules",
    ),
    path(
        "zfxxgk/statutory/",
        views.DisclosurePartView.as_view(title=navigation.STATUTORY.label),
        name="disclosure_statutory",
    ),
    path(
        "zfxxgk/annual-reports/",
        views.DisclosurePartView.as_view(title=navigation.ANNUAL_REPORTS.label),
        name="disclosure_reports",
    ),
    path(
        "zfxxgk/apply/",
        views.DisclosurePartView.as_view(
            title=navigation.APPLY.label, template_name="portal/disclosure/apply.html"
        ),
        name="disclosure_apply",
    ),
    path(
        "interpretations/",
        views.PortalPageView.as_view(title=navigation.INTERPRETATIONS.label),
        name="interpretations",
    ),
    path("search/", views.SearchView.as_view(), name="search"),
    path("display/", views.set_display, name="display"),
]
