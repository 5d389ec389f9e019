"""``/api/v1/records``: the public 主动公开 records, read-only, for other systems (no token).

Only what the portal shows is served (:mod:`zwgk.records.public`): published
主动公开 records.  A draft, withdrawn, 依申请公开 or 不予公开 record answers
404 exactly like an id that does not exist.
"""

from datetime import date, datetime
from math import ceil

from django.db.models import Q
from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from zwgk.records import public
from zwgk.records.attachments import ALLOWED, extension
from zwgk.records.choices import DocType, RecordKind, Validity
from zwgk.records.models import Record

router = Router(tags=["主动公开政府信息"])

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
NOT_FOUND = "没有找到该政府信息，可能尚未公开或已撤回。"


class AgencyRef(Schema):
    id: int = Field(description="机关 ID")
    name: str = Field(description="机关标准全称")


class TopicRef(Schema):
    id: int = Field(description="主题分类 ID")
    path: str = Field(description="主题分类，一级\\二级，如“综合政务\\政务公开”")


class RecordSummary(Schema):
    """列表中的一条主动公开政府信息（元数据，不含正文）。"""

    id: int = Field(description="信息 ID；门户页面为 /zfxxgk/records/{id}/")
    index_number: str = Field(description="索引号")
    title: str = Field(description="标题")
    doc_number: str = Field(description="发文字号（按原文）")
    agency: AgencyRef = Field(description="发布机关")
    topic: TopicRef = Field(description="主题分类")
    doc_type: DocType = Field(description="文种代码")
    doc_type_display: str = Field(description="文种")
    written_on: date = Field(description="成文日期")
    published_at: datetime = Field(description="发布日期（时间）")
    updated_at: datetime = Field(description="最后修改时间（更正、有效性变更等）")
    validity: Validity = Field(description="有效性代码")
    validity_display: str = Field(description="有效性：有效、失效、废止或已修改")
    abolished_on: date | None = Field(None, description="废止（失效、修改）日期")
    replaced_by: int | None = Field(
        None, description="替代文件的信息 ID（仅当替代文件已公开时给出）"
    )
    summary: str = Field(description="内容概述")
    kind: RecordKind = Field(description="信息类别代码：政策文件、政策解读或其他")
    kind_display: str = Field(description="信息类别")
    url: str = Field(description="门户网站上的页面地址")


class AttachmentOut(Schema):
    name: str = Field(description="文件名")
    type: str = Field(description="文件类型")
    size: int = Field(description="大小（字节）")
    url: str = Field(description="下载地址")


class RecordDetail(RecordSummary):
    """一条主动公开政府信息的完整内容。"""

    issuers: list[AgencyRef] = Field(description="发文机关（联合发文时为多个）")
    keywords: str = Field(description="主题词")
    body: str = Field(description="正文（已清理的 HTML）")
    attachments: list[AttachmentOut] = Field(description="附件")


class RecordPage(Schema):
    count: int = Field(description="符合条件的信息总数")
    page: int = Field(description="当前页码")
    page_size: int = Field(description="每页条数")
    pages: int = Field(description="总页数")
    items: list[RecordSummary] = Field(description="本页的信息，按发布日期由近及远")


class ErrorOut(Schema):
    detail: str = Field(description="错误说明")


class RecordFilters(Schema):
    agency: int | None = Field(None, description="发布机关 ID")
    topic: int | None = Field(None, description="主题分类 ID（一级分类包括其二级分类）")
    doc_type: DocType | None = Field(None, description="文种代码")
    year: int | None = Field(None, ge=1949, le=9999, description="发布年份（北京时间）")
    validity: Validity | None = Field(None, description="有效性代码")
    updated_since: datetime | None = Field(
        None, description="只列出此时间以后修改过的信息（ISO 8601），用于增量同步"
    )
    page: int = Field(1, ge=1, description="页码，从1开始")
    page_size: int = Field(
        PAGE_SIZE,
        ge=1,
        le=MAX_PAGE_SIZE,
        description=f"每页条数，默认{PAGE_SIZE}，最多{MAX_PAGE_SIZE}",
    )


@router.get(
    "/records",
    response={200: RecordPage, 404: ErrorOut},
    summary="主动公开政府信息列表",
    description="已发布的主动公开政府信息，按发布日期由近及远分页列出；可按发布机关、"
    "主题分类、文种、发布年份、有效性和修改时间筛选。超出末页的页码返回404。",
)
def list_records(request, filters: Query[RecordFilters]):
    condition = Q()
    if filters.agency:
        condition &= Q(agency_id=filters.agency)
    if filters.topic:
        condition &= Q(topic_id=filters.topic) | Q(topic__parent_id=filters.topic)
    if filters.doc_type:
        condition &= Q(doc_type=filters.doc_type)
    if filters.year:
        condition &= Q(published_at__year=filters.year)
    if filters.validity:
        condition &= Q(validity=filters.validity)
    if filters.updated_since:
        condition &= Q(updated_at__gte=filters.updated_since)
    queryset = public.listing(public.public_records().filter(condition)).select_related(
        "replaced_by"
    )
    count = queryset.count()
    pages = max(1, ceil(count / filters.page_size))
    if filters.page > pages:
        return Status(404, {"detail": "没有这一页。"})
    offset = (filters.page - 1) * filters.page_size
    items = [_summary(request, record) for record in queryset[offset : offset + filters.page_size]]
    return {
        "count": count,
        "page": filters.page,
        "page_size": filters.page_size,
        "pages": pages,
        "items": items,
    }


@router.get(
    "/records/{record_id}",
    response={200: RecordDetail, 404: ErrorOut},
    summary="主动公开政府信息详情",
    description="元数据、发文机关、正文和附件。未公开、已撤回或不存在的信息返回404。",
)
def get_record(request, record_id: int):
    record = public.record_for_page(record_id)
    if record is None:
        return Status(404, {"detail": NOT_FOUND})
    issuers = list(record.issuers.all()) or [record.agency]
    return {
        **_summary(request, record),
        "issuers": [{"id": a.pk, "name": a.name} for a in issuers],
        "keywords": record.keywords,
        "body": record.body,
        "attachments": [
            {
                "name": a.original_name,
                "type": ALLOWED.get(extension(a.original_name), ("文件",))[0],
                "size": a.size,
                "url": request.build_absolute_uri(
                    reverse("portal:record_attachment", args=[record.pk, a.pk])
                ),
            }
            for a in record.attachments.all()
        ],
    }


def _summary(request, record: Record) -> dict:
    replacement = public.public_replacement(record)
    return {
        "id": record.pk,
        "index_number": record.index_number,
        "title": record.title,
        "doc_number": record.doc_number,
        "agency": {"id": record.agency_id, "name": record.agency.name},
        "topic": {"id": record.topic_id, "path": record.topic_path},
        "doc_type": record.doc_type,
        "doc_type_display": record.get_doc_type_display(),
        "written_on": record.written_on,
        "published_at": record.published_at,
        "updated_at": record.updated_at,
        "validity": record.validity,
        "validity_display": record.get_validity_display(),
        "abolished_on": record.abolished_on,
        "replaced_by": replacement.pk if replacement else None,
        "summary": record.summary,
        "kind": record.kind,
        "kind_display": record.get_kind_display(),
        "url": request.build_absolute_uri(reverse("portal:record", args=[record.pk])),
    }
