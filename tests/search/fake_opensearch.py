"""An in-memory stand-in for the part of the opensearch-py client that OpenSearchBackend uses.

It interprets what the backend sends, as OpenSearch would: the index
settings and strict mapping (only analyzers built on the ``whitespace``
tokenizer), bulk requests in NDJSON (written by the real
``opensearchpy.helpers.bulk``, so the client's serialisation is exercised),
refreshes (a write is invisible to searches until one), and the query DSL of
:func:`zwgk.search.backends.opensearch.search_body`: ``bool``, ``term``,
``function_score`` with weighted filters, sorts and ``terms``
aggregations.  Scores are Lucene's BM25 (k1 = 1.2, b = 0.75, without norm
quantisation).

Anything else raises :class:`Unsupported` rather than being guessed at, so
a backend change that sends a new request shape fails the tests until the
fake learns it (and a live run, tests/search/conftest.py, confirms it).
Errors OpenSearch itself would return are raised as the client raises them
(``NotFoundError``, ``RequestError``) or reported in bulk items.
"""

import copy
import json
import math
from datetime import UTC, datetime
from types import SimpleNamespace

from opensearchpy.exceptions import NotFoundError, RequestError
from opensearchpy.serializer import JSONSerializer

K1 = 1.2
B = 0.75
MAX_TOKEN_LENGTH = 255  # the whitespace tokenizer splits longer tokens
MAX_RESULT_WINDOW = 10_000  # index.max_result_window
FIELD_TYPES = {"keyword", "long", "integer", "date", "text"}
WHITESPACE_ANALYZER = {"type": "custom", "tokenizer": "whitespace"}


class Unsupported(Exception):
    """A request the fake does not interpret, and so cannot vouch for."""


class MappingError(Exception):
    """A document the mapping refuses; ``kind`` is OpenSearch's error type."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind


def _only(value, allowed, what: str) -> dict:
    """``value`` if it is an object with no key outside ``allowed``; else Unsupported."""
    if not isinstance(value, dict):
        raise Unsupported(f"{what} must be an object: {value!r}")
    unknown = set(value) - set(allowed)
    if unknown:
        raise Unsupported(f"{what}: unknown keys {sorted(unknown)}")
    return value


def _single(value, what: str) -> tuple:
    """The one (key, value) of an object such as ``{"term": {...}}``."""
    if not isinstance(value, dict) or len(value) != 1:
        raise Unsupported(f"{what} must have exactly one key: {value!r}")
    return next(iter(value.items()))


def _not_found(index: str) -> NotFoundError:
    return NotFoundError(
        404,
        "index_not_found_exception",
        {"error": {"type": "index_not_found_exception", "reason": f"no such index [{index}]"}},
    )


class _Field:
    """One mapped field: how its values are parsed, matched, sorted and counted."""

    def __init__(self, name: str, spec: dict, analyzers: set[str]) -> None:
        self.name = name
        self.type = spec.get("type")
        if self.type not in FIELD_TYPES:
            raise Unsupported(f"field {name}: type {self.type!r}")
        if self.type == "text":
            _only(spec, {"type", "analyzer", "index_options"}, f"text field {name}")
            if spec.get("analyzer") not in analyzers:
                raise Unsupported(f"text field {name}: analyzer {spec.get('analyzer')!r}")
            if spec.get("index_options", "positions") not in {"freqs", "positions", "offsets"}:
                raise Unsupported(f"text field {name}: index_options without frequencies")
        else:
            _only(spec, {"type"}, f"field {name}")

    def parse(self, value) -> list:
        """The indexed values of a source value (a scalar, a list or null)."""
        values = value if isinstance(value, list) else [value]
        parsed: list = []
        for item in values:
            if item is None:
                continue
            if self.type == "text":
                if not isinstance(item, str):
                    raise MappingError("mapper_parsing_exception", f"{self.name}: not text")
                parsed.extend(
                    token[start : start + MAX_TOKEN_LENGTH]
                    for token in item.split()
                    for start in range(0, len(token), MAX_TOKEN_LENGTH)
                )
            else:
                parsed.append(self.term(item))
        return parsed

    def term(self, value):
        """A value as this field stores it (a query term is not analysed)."""
        if isinstance(value, bool):
            pass  # no field here is boolean
        elif self.type in {"long", "integer"} and isinstance(value, int | str):
            try:
                return int(value)  # OpenSearch takes numeric strings too
            except ValueError:
                pass
        elif self.type == "date" and isinstance(value, str):
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                pass
            else:
                # A date without a zone is UTC to OpenSearch.
                return int(moment.replace(tzinfo=moment.tzinfo or UTC).timestamp() * 1000)
        elif self.type in {"keyword", "text"} and isinstance(value, str | int | float):
            return str(value)
        raise MappingError("mapper_parsing_exception", f"{self.name}: cannot parse {value!r}")


class _Index:
    """An index: its mapping, the documents written and those a search sees."""

    def __init__(self, name: str, body: dict) -> None:
        _only(body, {"settings", "mappings"}, "index body")
        settings = _only(body.get("settings", {}), {"analysis"}, "settings")
        analysis = _only(settings.get("analysis", {}), {"analyzer"}, "analysis")
        analyzers = set()
        for analyzer_name, spec in analysis.get("analyzer", {}).items():
            if spec != WHITESPACE_ANALYZER:
                raise Unsupported(f"analyzer {analyzer_name}: only {WHITESPACE_ANALYZER}")
            analyzers.add(analyzer_name)
        mappings = _only(body.get("mappings", {}), {"dynamic", "properties", "_meta"}, "mappings")
        if mappings.get("dynamic") != "strict":
            raise Unsupported("mappings: only dynamic = strict")
        self.name = name
        self.mappings = copy.deepcopy(mappings)
        self.fields = {
            field: _Field(field, spec, analyzers) for field, spec in mappings["properties"].items()
        }
        self.written: dict[str, dict] = {}  # _id -> {field: values}
        self.visible: dict[str, dict] = {}  # as of the last refresh, in index order

    def parse(self, source: dict) -> dict:
        unknown = set(source) - set(self.fields)
        if unknown:
            raise MappingError(
                "strict_dynamic_mapping_exception",
                f"mapping set to strict, dynamic introduction of {sorted(unknown)} not allowed",
            )
        return {name: self.fields[name].parse(value) for name, value in source.items()}

    def field(self, name: str) -> _Field:
        if name not in self.fields:
            raise Unsupported(f"no field {name} in the mapping")
        return self.fields[name]


class _Search:
    """One search request over an index's visible documents."""

    def __init__(self, index: _Index) -> None:
        self.index = index
        self.docs = index.visible

    # Queries: each evaluates to {_id: score} for the documents it matches.

    def evaluate(self, query) -> dict[str, float]:
        kind, spec = _single(query, "query")
        if kind == "term":
            return self._term(spec)
        if kind == "bool":
            return self._bool(spec)
        if kind == "function_score":
            return self._function_score(spec)
        raise Unsupported(f"query type {kind}")

    def _term(self, spec) -> dict[str, float]:
        name, value = _single(spec, "term")
        boost = 1.0
        if isinstance(value, dict):
            _only(value, {"value", "boost"}, "term options")
            boost = float(value.get("boost", 1.0))
            value = value["value"]
        field = self.index.field(name)
        term = str(value) if field.type == "text" else field.term(value)
        lengths = {key: len(doc.get(name, [])) for key, doc in self.docs.items()}
        with_field = [length for length in lengths.values() if length]
        frequencies = {
            key: doc[name].count(term)
            for key, doc in self.docs.items()
            if term in doc.get(name, [])
        }
        if not frequencies:
            return {}
        idf = math.log(1 + (len(with_field) - len(frequencies) + 0.5) / (len(frequencies) + 0.5))
        average = sum(with_field) / len(with_field)
        scores = {}
        for key, frequency in frequencies.items():
            # Fields without norms (all but text) score as if of average length.
            length = lengths[key] if field.type == "text" else average
            scores[key] = (
                boost * idf * frequency / (frequency + K1 * (1 - B + B * length / average))
            )
        return scores

    def _bool(self, spec) -> dict[str, float]:
        _only(spec, {"must", "filter", "should", "must_not", "minimum_should_match"}, "bool")
        clauses = {}
        for occur in ("must", "filter", "should", "must_not"):
            value = spec.get(occur, [])
            if not isinstance(value, list):
                raise Unsupported(f"bool.{occur} must be a list")
            clauses[occur] = [self.evaluate(clause) for clause in value]
        required = clauses["must"] + clauses["filter"]
        default = 0 if required else 1
        minimum = spec.get("minimum_should_match", default if clauses["should"] else 0)
        if not isinstance(minimum, int):
            raise Unsupported("minimum_should_match must be an integer")
        scores = {}
        for key in self.docs:
            if any(key not in clause for clause in required):
                continue
            if any(key in clause for clause in clauses["must_not"]):
                continue
            should = [clause[key] for clause in clauses["should"] if key in clause]
            if len(should) < minimum:
                continue
            scores[key] = sum(clause[key] for clause in clauses["must"]) + sum(should)
        return scores

    def _function_score(self, spec) -> dict[str, float]:
        _only(spec, {"query", "functions", "score_mode", "boost_mode"}, "function_score")
        if spec.get("score_mode") != "multiply" or spec.get("boost_mode") != "multiply":
            raise Unsupported("function_score: only score_mode and boost_mode multiply")
        functions = []
        for function in spec.get("functions", []):
            _only(function, {"filter", "weight"}, "function")
            functions.append((self.evaluate(function["filter"]), float(function["weight"])))
        scores = self.evaluate(spec["query"])
        for key in scores:
            # A document no function applies to keeps its score (factor 1).
            for matched, weight in functions:
                if key in matched:
                    scores[key] *= weight
        return scores

    # Sorting, paging and aggregations

    def sort(self, scores: dict[str, float], sort) -> tuple[list[str], list]:
        """The matched ids in order, and the parsed sort (field, descending, missing last)."""
        if not isinstance(sort, list):
            raise Unsupported("sort must be a list")
        parsed = []
        for item in sort:
            if item == "_score":
                parsed.append(("_score", True, True))
                continue
            name, options = _single(item, "sort item")
            if isinstance(options, str):
                options = {"order": options}
            _only(options, {"order", "missing"}, "sort options")
            if options.get("order", "asc") not in {"asc", "desc"}:
                raise Unsupported(f"sort order {options['order']!r}")
            if options.get("missing", "_last") not in {"_last", "_first"}:
                raise Unsupported(f"sort missing {options['missing']!r}")
            if self.index.field(name).type == "text":
                raise RequestError(
                    400,
                    "illegal_argument_exception",
                    "Text fields are not optimised for operations that require"
                    " per-document field data like aggregations and sorting",
                )
            parsed.append(
                (name, options.get("order", "asc") == "desc", options.get("missing") != "_first")
            )
        ids = list(scores)  # index order: OpenSearch's last resort
        for name, descending, missing_last in reversed(parsed):
            values = {key: self.sort_value(key, name, descending, scores) for key in ids}
            present = sorted(
                (key for key in ids if values[key] is not None),
                key=values.__getitem__,
                reverse=descending,
            )
            missing = [key for key in ids if values[key] is None]
            ids = present + missing if missing_last else missing + present
        return ids, parsed

    def sort_value(self, key: str, name: str, descending: bool, scores: dict):
        if name == "_score":
            return scores[key]
        values = self.docs[key].get(name, [])
        if not values:
            return None
        # A multi-valued field sorts by its largest value descending, smallest ascending.
        return max(values) if descending else min(values)

    def aggregate(self, scores: dict[str, float], aggs) -> dict:
        results = {}
        if not isinstance(aggs, dict):
            raise Unsupported("aggs must be an object")
        for name, spec in aggs.items():
            kind, terms = _single(spec, f"aggregation {name}")
            if kind != "terms":
                raise Unsupported(f"aggregation type {kind}")
            _only(terms, {"field", "size", "shard_size"}, "terms")
            field = self.index.field(terms["field"])
            if field.type not in {"keyword", "long", "integer"}:
                raise Unsupported(f"terms aggregation on a {field.type} field")
            counts: dict = {}
            for key in scores:
                for value in set(self.docs[key].get(field.name, [])):
                    counts[value] = counts.get(value, 0) + 1
            ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
            size = terms.get("size", 10)
            results[name] = {
                "doc_count_error_upper_bound": 0,
                "sum_other_doc_count": sum(count for _, count in ordered[size:]),
                "buckets": [{"key": value, "doc_count": count} for value, count in ordered[:size]],
            }
        return results


class _Indices:
    def __init__(self, client: "FakeOpenSearch") -> None:
        self.client = client

    def exists(self, *, index: str) -> bool:
        return index in self.client.indexes

    def create(self, *, index: str, body: dict) -> dict:
        if index in self.client.indexes:
            raise RequestError(
                400,
                "resource_already_exists_exception",
                {"error": {"type": "resource_already_exists_exception", "index": index}},
            )
        self.client.indexes[index] = _Index(index, body)
        return {"acknowledged": True, "shards_acknowledged": True, "index": index}

    def delete(self, *, index: str, ignore_unavailable: bool = False) -> dict:
        if index not in self.client.indexes and not ignore_unavailable:
            raise _not_found(index)
        self.client.indexes.pop(index, None)
        return {"acknowledged": True}

    def get_mapping(self, *, index: str) -> dict:
        return {index: {"mappings": copy.deepcopy(self.client.get(index).mappings)}}

    def refresh(self, *, index: str) -> dict:
        target = self.client.get(index)
        target.visible = dict(target.written)
        return {"_shards": {"total": 1, "successful": 1, "failed": 0}}


class _Cluster:
    def __init__(self) -> None:
        self.status = "green"  # tests set "red"

    def health(self) -> dict:
        return {"cluster_name": "fake", "status": self.status, "number_of_nodes": 1}


class FakeOpenSearch:
    """The opensearch-py ``OpenSearch`` client methods the backend calls, on dictionaries."""

    def __init__(self) -> None:
        self.indexes: dict[str, _Index] = {}
        self.indices = _Indices(self)
        self.cluster = _Cluster()
        # helpers.bulk serialises actions with the client's serializer.
        self.transport = SimpleNamespace(serializer=JSONSerializer())

    def get(self, index: str) -> _Index:
        if index not in self.indexes:
            raise _not_found(index)
        return self.indexes[index]

    def close(self) -> None:
        """Nothing to release."""

    def bulk(self, *, body: str) -> dict:
        lines = iter(line for line in body.split("\n") if line)
        items = []
        for line in lines:
            op, meta = _single(json.loads(line), "bulk action")
            _only(meta, {"_index", "_id"}, f"bulk {op}")
            if "_index" not in meta or "_id" not in meta:
                raise Unsupported("bulk actions must name _index and _id")
            name, key = meta["_index"], meta["_id"]
            if name not in self.indexes:
                # OpenSearch would create the index with a guessed mapping.
                raise Unsupported(f"bulk {op} into the missing index {name}")
            index = self.indexes[name]
            item = {"_index": name, "_id": key}
            if op == "index":
                source = json.loads(next(lines))
                try:
                    parsed = index.parse(source)
                except MappingError as error:
                    item.update(status=400, error={"type": error.kind, "reason": str(error)})
                else:
                    existed = index.written.pop(key, None) is not None
                    index.written[key] = parsed
                    item.update(status=200 if existed else 201)
                    item.update(result="updated" if existed else "created")
            elif op == "delete":
                existed = index.written.pop(key, None) is not None
                item.update(
                    status=200 if existed else 404, result="deleted" if existed else "not_found"
                )
            else:
                raise Unsupported(f"bulk operation {op}")
            items.append({op: item})
        errors = any(not 200 <= item[op]["status"] < 300 for item in items for op in item)
        return {"took": 0, "errors": errors, "items": items}

    def count(self, *, index: str) -> dict:
        return {"count": len(self.get(index).visible)}

    def search(self, *, index: str, body: dict) -> dict:
        target = self.get(index)
        _only(
            body, {"query", "sort", "from", "size", "track_total_hits", "_source", "aggs"}, "body"
        )
        if body.get("track_total_hits") is not True:
            raise Unsupported("only track_total_hits: true (else totals stop at 10,000)")
        if body.get("_source", False) is not False:
            raise Unsupported("only _source: false")
        start, size = body.get("from", 0), body.get("size", 10)
        if start + size > MAX_RESULT_WINDOW:
            raise RequestError(
                400, "search_phase_execution_exception", "Result window is too large"
            )
        search = _Search(target)
        try:
            scores = search.evaluate(body["query"])
        except MappingError as error:  # a term the field cannot hold
            raise RequestError(400, "query_shard_exception", str(error)) from error
        ids, sort = search.sort(scores, body.get("sort", ["_score"]))
        by_score = any(name == "_score" for name, _, _ in sort)
        hits = [
            {
                "_index": index,
                "_id": key,
                # Without a sort on _score, OpenSearch does not score hits.
                "_score": scores[key] if by_score else None,
                "sort": [
                    search.sort_value(key, name, descending, scores) for name, descending, _ in sort
                ],
            }
            for key in ids[start : start + size]
        ]
        response = {
            "took": 0,
            "timed_out": False,
            "hits": {"total": {"value": len(scores), "relation": "eq"}, "hits": hits},
        }
        if "aggs" in body:
            response["aggregations"] = search.aggregate(scores, body["aggs"])
        return response
