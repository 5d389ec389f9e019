"""``GET /api/v1/search``: full-text search over the public records, for other systems.

The same search as the portal's search page (:func:`zwgk.search.services.search`):
the same filters, sorts, facet counts and suggestion, and only public
records.  A query that is a 文号 or an 索引号 reports the record it names in
``direct``.
"""

from math import ceil

from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from zwgk.records.choices import DocType, RecordKind, Validity
from zwgk.search import services
from zwgk.search.backends.base import Sort

router = Router(tags=["全文检索"])

PAGE_SIZE = 10
MAX_PAGE_SIZE = 50
MAX_ID = 2**31 - 1  # as the portal's filters: every backend stores these as integers


class SearchFilters(Schema):
    q: str = Field(..., min_length=1, max_length=services.QUERY_MAX_LENGTH, description="检索词")
    agency: int | None = Field(None, ge=1, le=MAX_ID, description="发布机关 ID")
    topic: int | None = Field(
        None, ge=1, le=MAX_ID, description="主题分类 ID（一级分类包括其二级分类）"
    )
    doc_type: DocType | None = Field(None, description="文种代码")
    year: int | None = Field(None, ge=1949, le=9999, description="发布年份")
    validity: Validity | None = Field(None, description="有效性代码")
    kind: RecordKind | None = Field(None, description="内容类型：政策文件、政策解读或其他")
    sort: str = Field(
        Sort.RELEVANCE,
        pattern=f"^({'|'.join(Sort.ALL)})$",
        description="relevance：按相关度（有效文件在前）；date：按发布日期由近及远",
    )
    page: int = Field(
        1, ge=1, le=services.MAX_PAGE, description=f"页码，从1开始，最多{services.MAX_PAGE}"
    )
    page_size: int = Field(
        PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=f"每页条数，默认{PAGE_SIZE}"
    )

    def backend_filters(self) -> dict[str, object]:
        fields = ("agency", "topic", "doc_type", "year", "validity", "kind")
        return {name: getattr(self, name) for name in fields if getattr(self, name) is not None}


class SearchItem(Schema):
    id: int = Field(description="信息 ID")
    title: str = Field(description="标题")
    title_highlighted: str = Field(description="标题，检索词以 <mark> 标出（HTML，已转义）")
    snippet: str = Field(description="正文摘录，检索词以 <mark> 标出（HTML，已转义）")
    doc_number: str = Field(description="发文字号")
    agency: str = Field(description="发布机关")
    published_at: str = Field(description="发布日期")
    validity: Validity = Field(description="有效性代码")
    kind: RecordKind = Field(description="内容类型代码")
    score: float = Field(description="相关度（同一次检索内可比）")
    url: str = Field(description="门户网站上的页面地址")


class FacetOut(Schema):
    value: str = Field(description="筛选值（作为同名参数使用）")
    label: str = Field(description="名称")
    count: int = Field(description="符合条件的条数")


class SearchPage(Schema):
    query: str = Field(description="实际检索的词（清理后）")
    tokens: list[str] = Field(description="分词结果（简体）")
    count: int = Field(description="符合条件的信息总数")
    page: int
    page_size: int
    pages: int
    items: list[SearchItem]
    facets: dict[str, list[FacetOut]] = Field(
        description="各筛选项的计数：kind、agency、topic、doc_type、year、validity"
    )
    suggestion: str = Field(description="没有结果时建议的检索词（可能为空）")
    suggestion_count: int = Field(description="建议检索词的结果数")
    direct: str | None = Field(description="检索词是文号或索引号时，对应信息的页面地址")


class ErrorOut(Schema):
    detail: str


@router.get(
    "/search",
    response={200: SearchPage, 404: ErrorOut},
    summary="全文检索",
    description="按检索词检索已公开的政府信息（标题、正文、附件文字），简繁体通用；"
    "多个词须同时出现。可按发布机关、主题分类、文种、年份、有效性和内容类型筛选，"
    "按相关度或日期排序。",
)
def search(request, filters: Query[SearchFilters]):
    offset = (filters.page - 1) * filters.page_size
    outcome = services.search(
        filters.q,
        filters=filters.backend_filters(),
        sort=filters.sort,
        offset=offset,
        limit=filters.page_size,
    )
    pages = max(1, ceil(outcome.total / filters.page_size))
    if filters.page > pages:
        return Status(404, {"detail": "没有这一页。"})
    direct = services.direct_target(outcome.query)
    return {
        "query": outcome.query,
        "tokens": list(outcome.tokens),
        "count": outcome.total,
        "page": filters.page,
        "page_size": filters.page_size,
        "pages": pages,
        "items": [
            {
                "id": hit.record.pk,
                "title": hit.record.title,
                "title_highlighted": str(hit.title),
                "snippet": str(hit.snippet),
                "doc_number": hit.record.doc_number,
                "agency": hit.record.agency.name,
                "published_at": timezone.localdate(hit.record.published_at).isoformat(),
                "validity": hit.record.validity,
                "kind": hit.record.kind,
                "score": hit.score,
                "url": _url(request, hit.record.pk),
            }
            for hit in outcome.hits
        ],
        "facets": {
            name: [{"value": str(f.value), "label": f.label, "count": f.count} for f in values]
            for name, values in outcome.facets.items()
        },
        "suggestion": outcome.suggestion,
        "suggestion_count": outcome.suggestion_total,
        "direct": _url(request, direct.pk) if direct else None,
    }


def _url(request, pk: int) -> str:
    return request.build_absolute_uri(reverse("portal:record", args=[pk]))
