from django.urls import path
from django.views.generic import TemplateView

from zwgk.portal import feeds, navigation, views
from zwgk.portal.cache import cache_public_page as cached

app_name = "portal"
urlpatterns = [
    path("", cached(TemplateView.as_view(template_name="portal/home.html")), name="home"),
    path(
        "zfxxgk/",
        cached(
            views.PortalPageView.as_view(
                title=navigation.DISCLOSURE.label, template_name="portal/disclosure/index.html"
            )
        ),
        name="disclosure",
    ),
    path(
        "zfxxgk/guide/",
        cached(views.GuideView.as_view()),
        name="disclosure_guide",
    ),
    path(
        "zfxxgk/rules/",
        cached(
            views.DisclosurePartView.as_view(
                title=navigation.RULES.label, template_name="portal/disclosure/rules.html"
            )
        ),
        name="disclosure_rules",
    ),
    path(
        "zfxxgk/statutory/",
        cached(views.StatutoryView.as_view()),
        name="disclosure_statutory",
    ),
    path("zfxxgk/records/<int:pk>/", cached(views.RecordView.as_view()), name="record"),
    path(
        "zfxxgk/records/<int:pk>/attachments/<int:attachment_pk>/",
        views.attachment_download,
        name="record_attachment",
    ),
    path(
        "zfxxgk/annual-reports/",
        cached(views.DisclosurePartView.as_view(title=navigation.ANNUAL_REPORTS.label)),
        name="disclosure_reports",
    ),
    path(
        "zfxxgk/apply/",
        cached(
            views.DisclosurePartView.as_view(
                title=navigation.APPLY.label, template_name="portal/disclosure/apply.html"
            )
        ),
        name="disclosure_apply",
    ),
    path(
        "interpretations/",
        cached(views.InterpretationsView.as_view()),
        name="interpretations",
    ),
    path("feeds/agency/<int:pk>/", feeds.AgencyFeed(), name="feed_agency"),
    path("feeds/topic/<int:pk>/", feeds.TopicFeed(), name="feed_topic"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("display/", views.set_display, name="display"),
]
