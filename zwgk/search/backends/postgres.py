"""PostgreSQL: a weighted tsvector over the analyzer's tokens, in the platform's database.

No PostgreSQL text-search parser or dictionary touches Chinese here: the
tsvector is written as a literal from the analyzer's tokens (title tokens
weight A, text tokens weight D), and the query is a literal ``'a' & 'b'``,
so the lexemes are exactly the analyzer's.  ``ts_rank`` with its default
weights {D 0.1, C 0.2, B 0.4, A 1.0} counts a title token
:data:`~zwgk.search.backends.base.TITLE_WEIGHT` times a text token.

The two tables are created by the search app's first migration, on
PostgreSQL only; :meth:`clear` empties them.  Writes go through
Django's connection, so the outbox drain writes the index and deletes its
outbox rows in one transaction.
"""

from collections.abc import Iterable

from django.db import DatabaseError, connection, transaction

from zwgk.search import analyzer
from zwgk.search.backends.base import (
    FACET_FIELDS,
    INVALID_FACTOR,
    VALID,
    AnalyzedDocument,
    Health,
    Hit,
    SearchBackend,
    SearchQuery,
    SearchResult,
    Sort,
    batched,
    no_match,
)

BATCH = 500
MAX_POSITION = 16383  # tsvector positions stop there
MAX_POSITIONS_PER_LEXEME = 255
MAX_LEXEME_BYTES = 2046

_FILTER_SQL = {
    "kind": "kind = %s",
    "agency": "agency = %s",
    "topic": "topics @> ARRAY[%s]::integer[]",
    "doc_type": "doc_type = %s",
    "year": "year = %s",
    "validity": "validity = %s",
}
_FACET_SQL = {
    "kind": "kind",
    "agency": "agency",
    "topic": "unnest(topics)",
    "doc_type": "nullif(doc_type, '')",
    "year": "year",
    "validity": "validity",
}


def _quote(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(title_tokens: str, text_tokens: str) -> str:
    """A tsvector literal: each lexeme with its positions, weight A in the title, D after."""
    positions: dict[str, list[str]] = {}
    tokens = [(t, "A") for t in title_tokens.split()] + [(t, "") for t in text_tokens.split()]
    for position, (token, weight) in enumerate(tokens, start=1):
        if len(token.encode()) > MAX_LEXEME_BYTES:
            continue
        entries = positions.setdefault(token, [])
        if len(entries) < MAX_POSITIONS_PER_LEXEME:
            entries.append(f"{min(position, MAX_POSITION)}{weight}")
    return " ".join(f"{_quote(token)}:{','.join(p)}" for token, p in positions.items())


def tsquery_literal(tokens: Iterable[str]) -> str:
    return " & ".join(_quote(token) for token in tokens)


class PostgresBackend(SearchBackend):
    name = "postgres"

    @classmethod
    def from_settings(cls, settings) -> "PostgresBackend":
        return cls()

    def _cursor(self):
        if connection.vendor != "postgresql":
            raise RuntimeError("postgres 检索后端需要平台使用 PostgreSQL 数据库。")
        return connection.cursor()

    def write(self, documents: Iterable[AnalyzedDocument]) -> int:
        return sum(self._write(batch) for batch in batched(documents, BATCH))

    def _write(self, batch) -> int:
        rows = []
        for analyzed in batch:
            document = analyzed.document
            rows.append(
                (
                    document.key,
                    document.kind,
                    document.agency,
                    list(document.topics),
                    document.doc_type,
                    document.year,
                    document.validity,
                    document.published_at,
                    tsvector_literal(analyzed.title_tokens, analyzed.text_tokens),
                )
            )
        with transaction.atomic(), self._cursor() as cursor:
            cursor.executemany(
                """INSERT INTO search_index_doc
                   (key, kind, agency, topics, doc_type, year, validity, published_at, tsv)
                   VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s::tsvector)
                   ON CONFLICT (key) DO UPDATE SET
                   kind = EXCLUDED.kind, agency = EXCLUDED.agency, topics = EXCLUDED.topics,
                   doc_type = EXCLUDED.doc_type, year = EXCLUDED.year,
                   validity = EXCLUDED.validity, published_at = EXCLUDED.published_at,
                   tsv = EXCLUDED.tsv""",
                rows,
            )
        return len(rows)

    def delete(self, keys: Iterable[str]) -> None:
        with self._cursor() as cursor:
            cursor.execute("DELETE FROM search_index_doc WHERE key = ANY(%s)", [list(keys)])

    def search(self, query: SearchQuery) -> SearchResult:
        if not query.tokens:
            return no_match(query)
        where = ["tsv @@ %s::tsquery"]
        params: list[object] = [tsquery_literal(query.tokens)]
        for name, value in query.filters.items():
            where.append(_FILTER_SQL[name])
            params.append(value)
        matched = f"FROM search_index_doc WHERE {' AND '.join(where)}"
        with transaction.atomic(), self._cursor() as cursor:
            # The planner does not price reading a large tsvector out of TOAST, and
            # scans the table for common words; the GIN bitmap is 50-100x faster.
            cursor.execute("SET LOCAL enable_seqscan = off")
            facets: dict[str, dict[object, int]] = {}
            if query.facets:
                facets = self._facets(cursor, matched, params)
                total = sum(facets["kind"].values())
            else:
                cursor.execute(f"SELECT count(*) {matched}", params)
                total = cursor.fetchone()[0]
            hits: list[Hit] = []
            if query.limit and total:
                if query.sort == Sort.DATE:
                    select = f"SELECT key, 0.0 {matched} ORDER BY published_at DESC NULLS LAST, key"
                    order_params = params
                else:
                    # ts_rank saturates below 1: a whole-title match adds 1, above all others.
                    whole, whole_params = "0.0", []
                    if query.title:
                        whole = "CASE WHEN tsv @@ %s::tsquery THEN 1.0 ELSE 0.0 END"
                        whole_params = [tsquery_literal([query.title])]
                    select = (
                        f"SELECT key, (ts_rank(tsv, %s::tsquery) + {whole})"
                        f" * (CASE validity WHEN '{VALID}' THEN 1.0 ELSE {INVALID_FACTOR} END)"
                        f" AS score {matched} ORDER BY score DESC, key"
                    )
                    order_params = [params[0], *whole_params, *params]
                cursor.execute(
                    f"{select} LIMIT %s OFFSET %s", [*order_params, query.limit, query.offset]
                )
                hits = [Hit(key, float(score)) for key, score in cursor.fetchall()]
        return SearchResult(total, hits, facets)

    @staticmethod
    def _facets(cursor, matched: str, params: list) -> dict[str, dict[object, int]]:
        """Every facet's counts in one statement over the matched rows."""
        parts = [
            f"SELECT '{name}', ({expression})::text, count(*) FROM hits GROUP BY 2"  # noqa: S608
            for name, expression in _FACET_SQL.items()
        ]
        cursor.execute(
            "WITH hits AS MATERIALIZED (SELECT kind, agency, topics, doc_type, year, validity "
            f"{matched}) {' UNION ALL '.join(parts)}",
            params,
        )
        facets: dict[str, dict[object, int]] = {name: {} for name in FACET_FIELDS}
        for name, value, count in cursor.fetchall():
            if value is not None:
                facets[name][int(value) if name in ("agency", "topic", "year") else value] = count
        return facets

    def clear(self) -> None:
        with transaction.atomic(), self._cursor() as cursor:
            cursor.execute("TRUNCATE search_index_doc")
            cursor.execute(
                """INSERT INTO search_index_meta (name, value) VALUES ('analyzer', %s)
                   ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value""",
                [analyzer.ANALYZER_VERSION],
            )

    def health(self) -> Health:
        try:
            with self._cursor() as cursor:
                cursor.execute("SELECT count(*) FROM search_index_doc")
                documents = cursor.fetchone()[0]
                cursor.execute("SELECT value FROM search_index_meta WHERE name = 'analyzer'")
                row = cursor.fetchone()
        except DatabaseError as error:
            return Health(False, 0, "", str(error))
        return Health(True, documents, row[0] if row else "")

    def close(self) -> None:
        """Django owns the connection."""
