import re
from urllib.parse import urlencode

from django.core.paginator import InvalidPage, Paginator
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from zwgk.catalogue.choices import Channel
from zwgk.catalogue.models import CatalogueItem
from zwgk.portal import cache as portal_cache
from zwgk.portal import navigation
from zwgk.portal.choices import Contrast, TextSize
from zwgk.portal.display import CONTRAST_COOKIE, TEXT_SIZE_COOKIE, store_preference
from zwgk.portal.services import get_site_profile
from zwgk.records import public
from zwgk.records.attachments import ALLOWED as ATTACHMENT_TYPES
from zwgk.records.attachments import extension
from zwgk.records.choices import DocType, RecordKind, Validity
from zwgk.records.models import TopicCategory
from zwgk.search import services as search_services
from zwgk.search.backends.base import Sort

RECORDS_PER_PAGE = 20
SEARCH_RESULTS_PER_PAGE = 10
# Attachments are served with the type of their (checked) extension, never a guessed one.
ATTACHMENT_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


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


class GuideView(DisclosurePartView):
    """政府信息公开指南 (条例第十二条), generated from the owner agency and its catalogue."""

    title = navigation.GUIDE.label
    template_name = "portal/disclosure/guide.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        owner = get_site_profile(self.request).owner
        catalogue = []
        channels: list[str] = []
        if owner is not None:
            items = CatalogueItem.objects.active().filter(agency=owner)
            catalogue = list(items.filter(parent=None).order_by("path").only("pk", "name", "path"))
            used = {value for row in items.values_list("channels", flat=True) for value in row}
            channels = [str(label) for value, label in Channel.choices if value in used]
        context.update(
            owner=owner,
            catalogue=catalogue,
            channels=channels,
            topics=list(
                TopicCategory.objects.filter(parent=None, is_active=True).only("pk", "name")
            ),
        )
        return context


class StatutoryView(DisclosurePartView):
    """法定主动公开内容: public records with facets and counts, 20 a page."""

    title = navigation.STATUTORY.label
    template_name = "portal/disclosure/statutory.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = public.Filters.from_query(self.request.GET)
        paginator = Paginator(
            public.listing(filters.apply(public.public_records())), RECORDS_PER_PAGE
        )
        try:
            page = paginator.page(self.request.GET.get("page") or 1)
        except InvalidPage as error:
            raise Http404("没有这一页。") from error
        path = self.request.path
        params = filters.as_dict()
        # The same on every page of a filter set: kept for the content generation.
        facets = portal_cache.remember(
            self.request, "statutory-facets", params, lambda: public.facets(filters)
        )
        for facet in facets:
            facet.clear_url = _url(path, {k: v for k, v in params.items() if k != facet.name})
            for value in facet.values:
                value.selected = params.get(facet.name) == value.value
                value.url = _url(path, {**params, facet.name: value.value})
            # Second-level 主题分类 appear once their first level (or a sibling) is chosen.
            chosen = facet.selected
            open_parent = chosen and (chosen.parent or chosen.value)
            facet.values = [v for v in facet.values if not v.parent or v.parent == open_parent]
        context.update(
            filters=filters,
            facets=facets,
            selected=[(f, f.selected) for f in facets if f.selected],
            page_obj=page,
            records=page.object_list,
            pager=_pager(page, path, params),
            reset_url=path,
        )
        return context


class RecordView(PortalPageView):
    """One public record: the gov.cn metadata header, body, attachments and its validity."""

    template_name = "portal/records/detail.html"
    parents = (navigation.DISCLOSURE, navigation.STATUTORY)

    def get(self, request, *args, **kwargs):
        self.record = public.record_for_page(kwargs["pk"])
        if self.record is None:
            raise Http404("没有找到这条政府信息，可能尚未公开或已撤回。")
        self.title = self.record.title
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record = self.record
        issuers = list(record.issuers.all()) or [record.agency]
        context.update(
            record=record,
            issuers="、".join(agency.name for agency in issuers),
            attachments=[
                {
                    "name": a.original_name,
                    "size": a.size,
                    "type": ATTACHMENT_TYPES.get(extension(a.original_name), ("文件",))[0],
                    "url": reverse("portal:record_attachment", args=[record.pk, a.pk]),
                }
                for a in record.attachments.all()
            ],
            replacement=public.public_replacement(record),
            interpretations=(
                public.interpretations_of(record) if record.kind == RecordKind.POLICY else []
            ),
            interpreted=(
                public.policies_of(record) if record.kind == RecordKind.INTERPRETATION else []
            ),
            replaced=public.replaced_records(record),
            not_valid=record.validity != Validity.VALID,
        )
        return context


def attachment_download(request, pk: int, attachment_pk: int):
    """Stream an attachment of a public record as a download, never rendered in the page."""
    attachment = public.public_attachment(pk, attachment_pk)
    if attachment is None:
        raise Http404("没有找到这个附件。")
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError) as error:
        raise Http404("附件文件不存在。") from error
    name = CONTROL_CHARACTERS.sub("", attachment.original_name) or "attachment"
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=name,
        content_type=ATTACHMENT_CONTENT_TYPES.get(extension(name), "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Even opened directly, the file may run nothing and load nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    # A withdrawn record's files must disappear from shared caches too.
    response["Cache-Control"] = "no-cache"
    return response


def _url(path: str, params: dict[str, str]) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def _pager(page, path: str, params: dict[str, str]) -> dict:
    """The 分页 links: previous, numbered pages with gaps (…), next."""
    paginator = page.paginator

    def link(number: int) -> str:
        return _url(path, {**params, "page": str(number)} if number > 1 else params)

    numbers = paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    return {
        "pages": [
            {
                "number": n,
                "url": link(n) if n != paginator.ELLIPSIS else "",
                "current": n == page.number,
            }
            for n in numbers
        ],
        "previous": link(page.previous_page_number()) if page.has_previous() else "",
        "next": link(page.next_page_number()) if page.has_next() else "",
    }


class InterpretationsView(PortalPageView):
    """政策解读: public interpretations with the policies they explain, 20 a page."""

    title = navigation.INTERPRETATIONS.label
    template_name = "portal/records/interpretations.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paginator = Paginator(public.interpretation_listing(), RECORDS_PER_PAGE)
        try:
            page = paginator.page(self.request.GET.get("page") or 1)
        except InvalidPage as error:
            raise Http404("没有这一页。") from error
        context.update(
            page_obj=page,
            records=page.object_list,
            pager=_pager(page, self.request.path, {}),
        )
        return context


class SearchView(PortalPageView):
    """全文检索 (条例第二十四条): one box, facets with counts, sort, pages, 您是不是要找."""

    title = navigation.SEARCH.label
    template_name = "portal/search.html"

    def get(self, request, *args, **kwargs):
        self.query = search_services.clean_query(request.GET.get("q", ""))
        self.filters = _search_filters(request.GET)
        if self.query and not self.filters and "page" not in request.GET:
            target = search_services.direct_target(self.query)
            if target is not None:  # a 文号 or 索引号 names one document: go there
                return HttpResponseRedirect(reverse("portal:record", args=[target.pk]))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query, filters = self.query, self.filters
        sort = self.request.GET.get("sort")
        sort = sort if sort in Sort.ALL else Sort.RELEVANCE
        context.update(query=query, sort=sort)
        if not query:
            return context
        path = self.request.path
        params = {"q": query, **{k: str(v) for k, v in filters.items()}}
        if sort != Sort.RELEVANCE:
            params["sort"] = sort
        number = self.request.GET.get("page") or "1"
        if not (
            number.isascii() and number.isdigit() and 1 <= int(number) <= search_services.MAX_PAGE
        ):
            raise Http404("没有这一页。")
        offset = (int(number) - 1) * SEARCH_RESULTS_PER_PAGE
        outcome = search_services.search(
            query, filters=filters, sort=sort, offset=offset, limit=SEARCH_RESULTS_PER_PAGE
        )
        paginator = Paginator(range(outcome.total), SEARCH_RESULTS_PER_PAGE)
        try:
            page = paginator.page(number)
        except InvalidPage as error:
            raise Http404("没有这一页。") from error
        facets = []
        for name, values in outcome.facets.items():
            chosen = str(filters.get(name, ""))
            facets.append(
                {
                    "name": name,
                    "label": search_services.FACET_LABELS[name],
                    "selected": chosen,
                    "clear_url": _url(path, {k: v for k, v in params.items() if k != name}),
                    "values": [
                        {
                            "label": value.label,
                            "count": value.count,
                            "depth": value.depth,
                            "selected": chosen == str(value.value),
                            "url": _url(path, {**params, name: str(value.value)}),
                        }
                        for value in values
                    ],
                }
            )
        without_sort = {k: v for k, v in params.items() if k != "sort"}
        context.update(
            outcome=outcome,
            facets=[f for f in facets if f["values"]],
            page_obj=page,
            pager=_pager(page, path, params),
            sort_urls={
                Sort.RELEVANCE: _url(path, without_sort),
                Sort.DATE: _url(path, {**without_sort, "sort": Sort.DATE}),
            },
            filtered=bool(filters),
            reset_url=_url(path, {"q": query}),
            suggestion_url=_url(path, {"q": outcome.suggestion}) if outcome.suggestion else "",
        )
        return context


def _search_filters(query) -> dict[str, object]:
    """The search filters in a query string; an invalid value is ignored, not an error."""
    filters: dict[str, object] = {}
    for name in ("agency", "topic", "year"):
        value = query.get(name, "")
        if value.isascii() and value.isdigit() and 0 < int(value) < 2**31:
            filters[name] = int(value)
    for name, choices in (("doc_type", DocType), ("validity", Validity), ("kind", RecordKind)):
        if query.get(name) in choices.values:
            filters[name] = query[name]
    return filters


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
