"""Searching the site: what the search page and the API call.

:func:`search` turns the visitor's words into query tokens, asks the
configured backend, and returns the public records of the hits with
highlighted snippets in the script the document was written in, facet
counts with names, and — when nothing matches — a shorter query that does.
:func:`direct_target` sends a query that is a 文号 or a 索引号 straight to its
document.  Hits whose record is no longer public (an outbox entry not yet
drained) are left out: search never shows what the portal would not.
"""

import unicodedata
from dataclasses import dataclass, field
from html import escape
from itertools import combinations, islice

from django.utils.safestring import SafeString, mark_safe

from zwgk.organizations.models import Agency
from zwgk.records.choices import DocType, RecordKind, Validity
from zwgk.records.docnum import normalize_docnum
from zwgk.records.models import Record, TopicCategory
from zwgk.records.public import public_records
from zwgk.search import analyzer
from zwgk.search.backends import get_backend
from zwgk.search.backends.base import FACET_FIELDS, SearchQuery, Sort
from zwgk.search.documents import record_pk, record_text, records_with_text
from zwgk.utils.script import to_simplified

QUERY_MAX_LENGTH = 100
MAX_PAGE = 100  # deep pages of a ranked list cost the index more than they help anyone
SNIPPET_LENGTH = 120
SNIPPET_LEAD = 20  # characters shown before the first match
MAX_WINDOWS = 100  # snippet windows tried, one per match
MAX_SPANS = 2000
SNIPPET_SOURCE = 20_000  # characters of a long text searched for the snippet
SUGGESTION_COUNTS = 20  # backend counts one 您是不是要找 may cost

FACET_LABELS = {
    "kind": "内容类型",
    "agency": "发布机关",
    "topic": "主题分类",
    "doc_type": "文种",
    "year": "发布年份",
    "validity": "有效性",
}


@dataclass
class SearchHit:
    record: Record
    score: float
    title: SafeString
    snippet: SafeString


@dataclass
class FacetCount:
    value: object
    label: str
    count: int
    depth: int = 1


@dataclass
class SearchOutcome:
    query: str
    tokens: tuple[str, ...]
    total: int
    hits: list[SearchHit]
    facets: dict[str, list[FacetCount]] = field(default_factory=dict)
    suggestion: str = ""
    suggestion_total: int = 0


def clean_query(text: str) -> str:
    """The visitor's words: control characters out, spaces folded, at most 100 characters."""
    text = "".join(" " if unicodedata.category(c).startswith("C") else c for c in text or "")
    return " ".join(text.split())[:QUERY_MAX_LENGTH]


def direct_target(text: str) -> Record | None:
    """The public record a query names by its 文号 or 索引号, if exactly one does."""
    text = text.strip()
    if not text:
        return None
    normalized = normalize_docnum(to_simplified(text))
    candidates = public_records().filter(index_number=text)
    if normalized:
        candidates = public_records().filter(doc_number_normalized=normalized) | candidates
    found = list(candidates.only("pk")[:2])
    return found[0] if len(found) == 1 else None


def search(
    text: str,
    *,
    filters: dict[str, object] | None = None,
    sort: str = Sort.RELEVANCE,
    offset: int = 0,
    limit: int = 10,
    facets: bool = True,
) -> SearchOutcome:
    query = clean_query(text)
    asked = SearchQuery.of(
        query, filters=filters or {}, sort=sort, offset=offset, limit=limit, facets=facets
    )
    tokens = asked.tokens
    backend = get_backend()
    result = backend.search(asked)
    outcome = SearchOutcome(query, tokens, result.total, _hits(result.hits, tokens))
    if facets:
        outcome.facets = _named_facets(result.facets)
    if not result.total and tokens:
        outcome.suggestion, outcome.suggestion_total = _suggest(backend, tokens, filters or {})
    return outcome


def _hits(hits, tokens) -> list[SearchHit]:
    pks = [pk for pk in (record_pk(hit.key) for hit in hits) if pk is not None]
    records = {
        record.pk: record
        for record in records_with_text().filter(pk__in=pks).select_related("agency")
    }
    found = []
    for hit in hits:
        record = records.get(record_pk(hit.key))
        if record is None:
            continue  # withdrawn a moment ago; the outbox will take it out of the index
        text = record_text(record, record.attachments.all())
        found.append(
            SearchHit(
                record,
                hit.score,
                highlight(record.title, tokens, whole=True),
                highlight(text, tokens),
            )
        )
    return found


def _suggest(backend, tokens, filters) -> tuple[str, int]:
    """A query with fewer words (or without the filters) that has results: 您是不是要找.

    The longest word sets are tried first, at most :data:`SUGGESTION_COUNTS`
    of them: a long query of unknown words must not cost 2ⁿ counts.
    """
    budget = SUGGESTION_COUNTS
    for size in range(len(tokens) - 1, 0, -1):
        candidates = list(islice(combinations(tokens, size), budget))
        budget -= len(candidates)
        best = max(
            ((kept, backend.count(SearchQuery(kept, filters))) for kept in candidates),
            key=lambda pair: pair[1],
        )
        if best[1]:
            return " ".join(best[0]), best[1]
        if not budget:
            break
    if filters:
        total = backend.count(SearchQuery(tokens))
        if total:
            return " ".join(tokens), total
    return "", 0


def _named_facets(counts: dict[str, dict[object, int]]) -> dict[str, list[FacetCount]]:
    agencies = dict(Agency.objects.filter(pk__in=counts["agency"]).values_list("pk", "name"))
    topics = {
        topic.pk: topic
        for topic in TopicCategory.objects.filter(pk__in=counts["topic"]).only(
            "pk", "name", "parent_id", "sort_order"
        )
    }
    labels = {
        "kind": dict(RecordKind.choices),
        "doc_type": dict(DocType.choices),
        "validity": dict(Validity.choices),
    }
    named: dict[str, list[FacetCount]] = {}
    for name in FACET_FIELDS:
        values = counts[name]
        if name == "agency":
            items = [FacetCount(pk, agencies[pk], n) for pk, n in values.items() if pk in agencies]
            items.sort(key=lambda item: -item.count)
        elif name == "topic":
            items = _topic_tree(values, topics)
        elif name == "year":
            items = sorted(
                (FacetCount(year, f"{year}年", n) for year, n in values.items()),
                key=lambda item: -item.value,
            )
        else:
            items = [
                FacetCount(value, str(labels[name].get(value, value)), n)
                for value, n in values.items()
            ]
            items.sort(key=lambda item: -item.count)
        named[name] = items
    return named


def _topic_tree(values: dict, topics: dict) -> list[FacetCount]:
    """First-level 主题分类 by count, each followed by its second levels."""
    roots = [pk for pk in values if pk in topics and topics[pk].parent_id is None]
    roots.sort(key=lambda pk: (-values[pk], topics[pk].sort_order))
    items = []
    for root in roots:
        items.append(FacetCount(root, topics[root].name, values[root]))
        children = [pk for pk in values if pk in topics and topics[pk].parent_id == root]
        children.sort(key=lambda pk: -values[pk])
        items.extend(FacetCount(pk, topics[pk].name, values[pk], depth=2) for pk in children)
    return items


def _aligned(text: str) -> tuple[str, list[int]]:
    """``text`` normalised as the analyzer does, with each character's position in ``text``.

    OpenCC's t2s keeps the length of almost every text, and the analyzer's
    fold works character by character, so that a match in the normalised
    text maps back onto the characters the document was written in.
    """
    converted = to_simplified(text)
    if len(converted) != len(text):
        converted = text  # a rare phrase conversion changed the length: match as written
    table = analyzer.fold_table()
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(converted):
        folded = table.get(ord(char), char)
        chars.append(folded)
        origin.extend([index] * len(folded))
    return "".join(chars), origin


def _best_window(text: str, spans: list[tuple[int, int]]) -> int:
    """Where the snippet starts: before the match whose window shows the most distinct words."""
    best, best_words = 0, -1
    spans = spans[:MAX_SPANS]  # a long law and a common word: the start is enough
    for start, _ in spans[:MAX_WINDOWS]:
        begin = max(0, start - SNIPPET_LEAD)
        words = {text[a:b] for a, b in spans if begin <= a and b <= begin + SNIPPET_LENGTH}
        if len(words) > best_words:
            best, best_words = begin, len(words)
    return best


def highlight(text: str, tokens, *, whole: bool = False) -> SafeString:
    """``text`` (or a window of it) escaped, with every query token marked ``<mark>``."""
    text = " ".join(text.split())
    more_before = more_after = False
    if not whole and len(text) > SNIPPET_SOURCE:
        # A long law with its attachments: the character-by-character work below
        # is done on a region around the first match, found cheaply.
        cut = _region(text, tokens)
        more_before, more_after = cut > 0, cut + SNIPPET_SOURCE < len(text)
        text = text[cut : cut + SNIPPET_SOURCE]
    normalized, origin = _aligned(text)
    spans = []
    for token in sorted(tokens, key=len, reverse=True):
        start = normalized.find(token)
        while start != -1:
            spans.append((origin[start], origin[start + len(token) - 1] + 1))
            start = normalized.find(token, start + len(token))
    spans.sort(key=lambda span: (span[0], -span[1]))  # at one place, the longer match wins
    if whole:
        begin, end = 0, len(text)
    else:
        begin = _best_window(text, spans)
        end = min(len(text), begin + SNIPPET_LENGTH)
    parts = ["…" if begin or more_before else ""]
    position = begin
    for start, stop in spans:
        if start < position or stop > end:
            continue  # overlaps a longer match already marked, or outside the window
        parts.append(escape(text[position:start]))
        parts.append(f"<mark>{escape(text[start:stop])}</mark>")
        position = stop
    parts.append(escape(text[position:end]))
    if end < len(text) or more_after:
        parts.append("…")
    return mark_safe("".join(parts))  # noqa: S308 (every piece is escaped above)


def _region(text: str, tokens) -> int:
    """Where in a long ``text`` to look for the snippet: a little before the first match.

    The match is found in the simplified, lower-cased text (OpenCC and
    ``str.lower`` run at C speed); a rare conversion that changes the length
    shifts it by a few characters, which the region's margin absorbs.
    """
    folded = to_simplified(text).lower()
    found = [index for index in (folded.find(token) for token in tokens) if index >= 0]
    return max(0, min(found, default=0) - SNIPPET_SOURCE // 4)
