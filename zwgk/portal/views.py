from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from zwgk.portal import navigation
from zwgk.portal.choices import Contrast, TextSize
from zwgk.portal.display import CONTRAST_COOKIE, TEXT_SIZE_COOKIE, store_preference

SEARCH_QUERY_MAX_LENGTH = 100


class PortalPageView(TemplateView):
    """A public page with a title and a breadcrumb trail below 首页."""

    title: str | Promise = ""
    parents: tuple[navigation.NavItem, ...] = ()
    template_name = "portal/placeholder.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_title"] = self.title
        context["breadcrumbs"] = [
            *(navigation.Crumb(item.label, item.url) for item in self.parents),
            navigation.Crumb(self.title),
        ]
        return context


class DisclosurePartView(PortalPageView):
    """One part of the 政府信息公开 column; most are placeholders until their app fills them."""

    parents = (navigation.DISCLOSURE,)
    template_name = "portal/disclosure/placeholder.html"


class SearchView(PortalPageView):
    title = navigation.SEARCH.label
    template_name = "portal/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["query"] = self.request.GET.get("q", "").strip()[:SEARCH_QUERY_MAX_LENGTH]
        return context


# A display preference is no protected action (forging one changes the font
# size at most), and leaving it exempt keeps public pages free of CSRF
# cookies, so that a shared cache can serve them.
@csrf_exempt
@require_POST
def set_display(request):
    """Switch 大字版/标准版 or 高对比度/常规配色, then go back to the page the form was on."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("portal:home")
    response = HttpResponseRedirect(target)
    secure = request.is_secure()
    text_size = request.POST.get("text_size")
    if text_size in TextSize.values:
        store_preference(
            response, TEXT_SIZE_COOKIE, text_size, default=TextSize.STANDARD, secure=secure
        )
    contrast = request.POST.get("contrast")
    if contrast in Contrast.values:
        store_preference(
            response, CONTRAST_COOKIE, contrast, default=Contrast.STANDARD, secure=secure
        )
    return response
