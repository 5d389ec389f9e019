"""What the public sees of 主动公开 records: the portal, the feeds and the JSON API read here.

A record is public when it is **published** and its 公开属性 is **主动公开**.
Drafts, records in review, scheduled or withdrawn records and 依申请公开 /
不予公开 records never leave the back office, so every public page, feed and
API endpoint starts from :func:`public_records` and nothing else.

Browsing (法定主动公开内容) filters by 发布机关, 主题分类 (a first-level class
includes its second levels), 文种, 发布年份 (Asia/Shanghai), 有效性 and
目录事项 (with the items below it); each facet counts with one aggregate
query over the records matching the *other* filters, so that picking a value
never hides the alternatives.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.http import QueryDict

from zwgk.catalogue.models import CatalogueItem
from zwgk.organizations.models import Agency
from zwgk.records.choices import Disclosure, DocType, RecordKind, Status, Validity
from zwgk.records.models import Attachment, Record

# The query-string names of the browse filters, in the order the page shows them.
FACETS = ("agency", "topic", "item", "doc_type", "year", "validity")


def public_records() -> QuerySet[Record]:
    """Published 主动公开 records: the only records any public page may show."""
    return Record.objects.filter(status=Status.PUBLISHED, disclosure=Disclosure.PROACTIVE)


def is_public(record: Record | None) -> bool:
    return (
        record is not None
        and record.status == Status.PUBLISHED
        and record.disclosure == Disclosure.PROACTIVE
    )


def listing(queryset: QuerySet[Record] | None = None) -> QuerySet[Record]:
    """Records ready for a list: agency and topic path joined, newest first."""
    queryset = public_records() if queryset is None else queryset
    return queryset.select_related("agency", "topic__parent").order_by("-published_at", "-pk")


def record_for_page(pk: int) -> Record | None:
    """One public record with everything its page shows, in a fixed number of queries.

    The agency, topic and replacing record are joined; 发文机关 and the
    attachments are prefetched.  ``None`` when there is no such public record.
    """
    return (
        listing()
        .select_related("replaced_by")
        # The replacing record shows as a link only: leave its body in the table.
        .defer("replaced_by__body")
        .prefetch_related(
            Prefetch("issuers", queryset=Agency.objects.only("pk", "name")),
            Prefetch(
                "attachments",
                queryset=Attachment.objects.order_by("sort_order", "pk").only(
                    "pk", "record_id", "original_name", "size", "file", "sort_order"
                ),
            ),
        )
        .filter(pk=pk)
        .order_by()
        .first()
    )


def replaced_records(record: Record) -> list[Record]:
    """The public records that ``record`` replaced (修改或替代), newest first."""
    return list(public_records().filter(replaced_by=record).order_by("-published_at"))


def public_replacement(record: Record) -> Record | None:
    """The record that replaced ``record``, if the public may see it."""
    replacement = record.replaced_by if record.replaced_by_id else None
    return replacement if is_public(replacement) else None


def interpretations_of(record: Record) -> list[Record]:
    """The public 政策解读 of a policy, oldest first."""
    return list(
        public_records()
        .filter(kind=RecordKind.INTERPRETATION, interprets=record)
        .order_by("published_at", "pk")
    )


def policies_of(record: Record) -> list[Record]:
    """The public policies an interpretation explains, oldest first."""
    return list(
        public_records()
        .filter(kind=RecordKind.POLICY, interpretations=record)
        .order_by("published_at", "pk")
    )


def interpretation_listing() -> QuerySet[Record]:
    """Public 政策解读, newest first, each with the public policies it explains prefetched."""
    return listing(public_records().filter(kind=RecordKind.INTERPRETATION)).prefetch_related(
        Prefetch(
            "interprets",
            queryset=public_records().filter(kind=RecordKind.POLICY).order_by("published_at"),
            to_attr="public_policies",
        )
    )


def public_attachment(record_pk: int, attachment_pk: int) -> Attachment | None:
    """An attachment of a public record, else ``None`` (drafts' files stay private)."""
    return (
        Attachment.objects.filter(
            pk=attachment_pk,
            record_id=record_pk,
            record__in=public_records(),
        )
        .only("pk", "record_id", "file", "original_name", "size")
        .first()
    )


# ---------------------------------------------------------------- browsing


@dataclass
class Filters:
    """The browse filters parsed from a query string; unknown or malformed values are ignored."""

    agency: int | None = None
    topic: int | None = None
    item: int | None = None
    doc_type: str | None = None
    year: int | None = None
    validity: str | None = None

    @classmethod
    def from_query(cls, query: QueryDict | dict[str, Any]) -> "Filters":
        return cls(
            agency=_positive_int(query.get("agency")),
            topic=_positive_int(query.get("topic")),
            item=_positive_int(query.get("item")),
            doc_type=_choice(query.get("doc_type"), DocType),
            year=_year(query.get("year")),
            validity=_choice(query.get("validity"), Validity),
        )

    def q(self, *, exclude: str = "") -> Q:
        """The conditions of every filter that is set, leaving out ``exclude``."""
        condition = Q()
        if self.agency and exclude != "agency":
            condition &= Q(agency_id=self.agency)
        if self.topic and exclude != "topic":
            condition &= Q(topic_id=self.topic) | Q(topic__parent_id=self.topic)
        if self.item and exclude != "item":
            # The item and every item below it (materialised path prefix).
            below = CatalogueItem.objects.filter(pk=self.item).values("path")[:1]
            condition &= Q(catalogue_item__path__startswith=below)
        if self.doc_type and exclude != "doc_type":
            condition &= Q(doc_type=self.doc_type)
        if self.year and exclude != "year":
            condition &= Q(published_at__year=self.year)
        if self.validity and exclude != "validity":
            condition &= Q(validity=self.validity)
        return condition

    def apply(self, queryset: QuerySet[Record]) -> QuerySet[Record]:
        return queryset.filter(self.q())

    def as_dict(self) -> dict[str, str]:
        return {name: str(getattr(self, name)) for name in FACETS if getattr(self, name)}

    @property
    def active(self) -> bool:
        return bool(self.as_dict())


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    depth: int = 1
    parent: str = ""  # a second-level 主题分类's first level
    selected: bool = False
    url: str = ""


@dataclass
class Facet:
    name: str
    label: str
    values: list[FacetValue] = field(default_factory=list)
    clear_url: str = ""

    @property
    def selected(self) -> FacetValue | None:
        return next((v for v in self.values if v.selected), None)


def facets(filters: Filters) -> list[Facet]:
    """Every facet with its counts: one aggregate query each (plus one for the catalogue)."""
    base = public_records()
    result = [
        _agency_facet(base.filter(filters.q(exclude="agency")), filters),
        _topic_facet(base.filter(filters.q(exclude="topic")), filters),
        _catalogue_facet(base.filter(filters.q(exclude="item")), filters),
        _choice_facet(
            "doc_type", "文种", DocType, base.filter(filters.q(exclude="doc_type")), filters
        ),
        _year_facet(base.filter(filters.q(exclude="year")), filters),
        _choice_facet(
            "validity", "有效性", Validity, base.filter(filters.q(exclude="validity")), filters
        ),
    ]
    return [facet for facet in result if facet.values]


def _agency_facet(queryset, filters: Filters) -> Facet:
    rows = (
        queryset.values("agency_id", "agency__name", "agency__path")
        .annotate(n=Count("pk"))
        .order_by("agency__path")
    )
    return Facet(
        "agency",
        "发布机关",
        [FacetValue(str(r["agency_id"]), r["agency__name"], r["n"]) for r in rows],
    )


def _topic_facet(queryset, filters: Filters) -> Facet:
    """First-level classes (with their second levels counted in), each followed by those."""
    rows = (
        queryset.values(
            "topic_id",
            "topic__name",
            "topic__sort_order",
            "topic__parent_id",
            "topic__parent__name",
            "topic__parent__sort_order",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    roots: dict[int, list] = {}  # id → [sort key, name, total, {child id: (sort key, n)}]
    for r in rows:
        if r["topic__parent_id"] is None:
            key = (r["topic__sort_order"], r["topic__name"])
            root = roots.setdefault(r["topic_id"], [key, r["topic__name"], 0, {}])
        else:
            key = (r["topic__parent__sort_order"], r["topic__parent__name"])
            root = roots.setdefault(r["topic__parent_id"], [key, r["topic__parent__name"], 0, {}])
            root[3][r["topic_id"]] = ((r["topic__sort_order"], r["topic__name"]), r["n"])
        root[2] += r["n"]
    values = []
    for root_id, (_, name, total, children) in sorted(roots.items(), key=lambda kv: kv[1][0]):
        values.append(FacetValue(str(root_id), name, total))
        for child_id, ((_, child_name), n) in sorted(children.items(), key=lambda kv: kv[1][0]):
            values.append(FacetValue(str(child_id), child_name, n, depth=2, parent=str(root_id)))
    return Facet("topic", "主题分类", values)


def _catalogue_facet(queryset, filters: Filters) -> Facet:
    """The agency's 主动公开基本目录 as a tree, each item counting the records at or below it.

    A catalogue belongs to one agency, so the tree shows once a 发布机关 is chosen.
    """
    facet = Facet("item", "目录分类")
    if not filters.agency:
        return facet
    rows = queryset.values("catalogue_item__path").annotate(n=Count("pk")).order_by()
    direct = {r["catalogue_item__path"]: r["n"] for r in rows if r["catalogue_item__path"]}
    if not direct:
        return facet
    items = CatalogueItem.objects.active().filter(agency_id=filters.agency).tree()
    for item in items.only("pk", "name", "path", "agency_id"):
        total = sum(n for path, n in direct.items() if path.startswith(item.path))
        if total:
            facet.values.append(FacetValue(str(item.pk), item.name, total, depth=item.depth))
    return facet


def _choice_facet(name, label, choices, queryset, filters: Filters) -> Facet:
    rows = queryset.values(name).annotate(n=Count("pk")).order_by()
    counts = {r[name]: r["n"] for r in rows}
    return Facet(
        name,
        label,
        [FacetValue(v, str(lbl), counts[v]) for v, lbl in choices.choices if counts.get(v)],
    )


def _year_facet(queryset, filters: Filters) -> Facet:
    rows = (
        queryset.annotate(y=ExtractYear("published_at"))
        .values("y")
        .annotate(n=Count("pk"))
        .order_by("-y")
    )
    return Facet("year", "发布年份", [FacetValue(str(r["y"]), f"{r['y']}年", r["n"]) for r in rows])


def _positive_int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


def _year(value) -> int | None:
    number = _positive_int(value)
    return number if number is not None and 1949 <= number <= 9999 else None


def _choice(value, choices) -> str | None:
    return value if value in choices.values else None
