"""SQLite FTS5: the embedded default, an index in a file of its own.

The index lives in its own SQLite file (``ZWGK_SEARCH_PATH``/``search.sqlite3``),
whatever database the platform runs on, so the same backend serves a
single-machine site on PostgreSQL too.  Two tables:

- ``fts``: a contentless FTS5 table of the analysed title and text
  (space-separated tokens from :mod:`zwgk.search.analyzer`; the
  ``unicode61`` tokenizer only splits them at the spaces, since every token
  is letters and digits);
- ``doc``: one row per document with the same rowid: key, the filter and
  sort columns (small rows: every match of a query reads one);
- ``doc_tokens``: the tokens, zlib-compressed, with the same rowid.

Contentless, because storing the token text in FTS5 more than doubles the
file and slows ranking down 3x (measured: 13.2 against 5.3 KB per 3 KB
document); SQLite 3.40 can only delete from a contentless table when given
the original tokens, which ``doc_tokens`` keeps compressed (about a fifth
of their size).

The score is :data:`~zwgk.search.backends.base.TITLE_WEIGHT` times the
title's BM25 (``fts_title``, a contentless FTS5 table of the titles alone,
matched by any query token) plus the text's (``fts``, title column weighted
0); FTS5's ``bm25()`` returns negative numbers, lower is better, so each is
negated.
"""

import sqlite3
import threading
import zlib
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from zwgk.search import analyzer
from zwgk.search.backends.base import (
    FACET_FIELDS,
    INVALID_FACTOR,
    TITLE_WEIGHT,
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

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS doc (
    rowid INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    agency INTEGER,
    topic INTEGER,
    topic_parent INTEGER,
    doc_type TEXT NOT NULL,
    year INTEGER,
    validity TEXT NOT NULL,
    published_at TEXT
);
CREATE TABLE IF NOT EXISTS doc_tokens (rowid INTEGER PRIMARY KEY, tokens BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS doc_published_at ON doc (published_at DESC, key);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(
    title, text, content = '', tokenize = 'unicode61'
);
CREATE VIRTUAL TABLE IF NOT EXISTS fts_title USING fts5(
    title, content = '', tokenize = 'unicode61'
);
"""
BATCH = 500

# SQL for each filter on the ``doc`` row ``d``; ``topic`` is either level.
_FILTER_SQL = {
    "kind": "d.kind = ?",
    "agency": "d.agency = ?",
    "doc_type": "d.doc_type = ?",
    "year": "d.year = ?",
    "validity": "d.validity = ?",
}
_FACET_COLUMNS = {
    "kind": ["kind"],
    "agency": ["agency"],
    "topic": ["topic", "topic_parent"],
    "doc_type": ["doc_type"],
    "year": ["year"],
    "validity": ["validity"],
}


def match_expression(tokens: Iterable[str]) -> str:
    """An FTS5 query that requires every token: each a quoted string, ANDed."""
    return " ".join('"{}"'.format(token.replace('"', '""')) for token in tokens)


class SQLiteBackend(SearchBackend):
    name = "sqlite"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._local = threading.local()

    @classmethod
    def from_settings(cls, settings) -> "SQLiteBackend":
        return cls(Path(settings.SEARCH_PATH) / "search.sqlite3")

    @property
    def connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.executescript(SCHEMA)
            self._local.connection = connection
        return connection

    def close(self) -> None:
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None

    def write(self, documents: Iterable[AnalyzedDocument]) -> int:
        return sum(self._write(batch) for batch in batched(documents, BATCH))

    def _write(self, batch) -> int:
        connection = self.connection
        connection.execute("BEGIN IMMEDIATE")
        try:
            self._delete(connection, [a.document.key for a in batch])
            for analyzed in batch:
                document = analyzed.document
                topic = document.topics[0] if document.topics else None
                parent = document.topics[1] if len(document.topics) > 1 else None
                cursor = connection.execute(
                    "INSERT INTO doc (key, kind, agency, topic, topic_parent, doc_type, year,"
                    " validity, published_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        document.key,
                        document.kind,
                        document.agency,
                        topic,
                        parent,
                        document.doc_type,
                        document.year,
                        document.validity,
                        _iso(document.published_at),
                    ),
                )
                connection.execute(
                    "INSERT INTO doc_tokens (rowid, tokens) VALUES (?, ?)",
                    (
                        cursor.lastrowid,
                        zlib.compress(f"{analyzed.title_tokens}\n{analyzed.text_tokens}".encode()),
                    ),
                )
                connection.execute(
                    "INSERT INTO fts (rowid, title, text) VALUES (?, ?, ?)",
                    (cursor.lastrowid, analyzed.title_tokens, analyzed.text_tokens),
                )
                connection.execute(
                    "INSERT INTO fts_title (rowid, title) VALUES (?, ?)",
                    (cursor.lastrowid, analyzed.title_tokens),
                )
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
        return len(batch)

    @staticmethod
    def _delete(connection: sqlite3.Connection, keys: list[str]) -> None:
        for start in range(0, len(keys), BATCH):
            chunk = keys[start : start + BATCH]
            marks = ",".join("?" * len(chunk))
            rows = connection.execute(
                "SELECT doc.rowid, tokens FROM doc JOIN doc_tokens USING (rowid)"  # noqa: S608
                f" WHERE key IN ({marks})",
                chunk,
            ).fetchall()
            for rowid, tokens in rows:
                title, _, text = zlib.decompress(tokens).decode().partition("\n")
                connection.execute(
                    "INSERT INTO fts (fts, rowid, title, text) VALUES ('delete', ?, ?, ?)",
                    (rowid, title, text),
                )
                connection.execute(
                    "INSERT INTO fts_title (fts_title, rowid, title) VALUES ('delete', ?, ?)",
                    (rowid, title),
                )
            rowids = [(rowid,) for rowid, _ in rows]
            connection.executemany("DELETE FROM doc WHERE rowid = ?", rowids)
            connection.executemany("DELETE FROM doc_tokens WHERE rowid = ?", rowids)

    def delete(self, keys: Iterable[str]) -> None:
        connection = self.connection
        connection.execute("BEGIN IMMEDIATE")
        try:
            self._delete(connection, list(keys))
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")

    def search(self, query: SearchQuery) -> SearchResult:
        if not query.tokens:
            return no_match(query)
        where = ["fts MATCH ?"]
        params: list[object] = [match_expression(query.tokens)]
        for name, value in query.filters.items():
            if name == "topic":
                where.append("(d.topic = ? OR d.topic_parent = ?)")
                params.extend([value, value])
            else:
                where.append(_FILTER_SQL[name])
                params.append(value)
        matched = f"FROM fts JOIN doc d ON d.rowid = fts.rowid WHERE {' AND '.join(where)}"
        connection = self.connection
        facets: dict[str, dict[object, int]] = {}
        if query.facets:
            facets = self._facets(connection, matched, params)
            total = sum(facets["kind"].values())
        else:
            total = connection.execute(f"SELECT count(*) {matched}", params).fetchone()[0]
        hits: list[Hit] = []
        if query.limit and total:
            if query.sort == Sort.DATE:
                select = f"SELECT d.key, 0.0 {matched} ORDER BY d.published_at DESC, d.key"
                select_params = params
            else:
                # The title scored on its own: FTS5's bm25() normalises by the
                # length of the whole row, so a law's name in its (long) row
                # would lose to the same name in each of its short articles.
                select = (
                    "WITH t AS MATERIALIZED (SELECT rowid, -bm25(fts_title) AS score"  # noqa: S608
                    " FROM fts_title WHERE fts_title MATCH ?)"
                    f" SELECT d.key, ({TITLE_WEIGHT} * coalesce(t.score, 0.0)"
                    " - bm25(fts, 0.0, 1.0))"
                    f" * (CASE d.validity WHEN '{VALID}' THEN 1.0 ELSE {INVALID_FACTOR} END)"
                    " AS score FROM fts JOIN doc d ON d.rowid = fts.rowid"
                    f" LEFT JOIN t ON t.rowid = fts.rowid WHERE {' AND '.join(where)}"
                    " ORDER BY score DESC, d.key"
                )
                title_words = [*query.tokens, query.title] if query.title else query.tokens
                select_params = [" OR ".join(match_expression([t]) for t in title_words), *params]
            rows = connection.execute(
                f"{select} LIMIT ? OFFSET ?", [*select_params, query.limit, query.offset]
            )
            hits = [Hit(key, score) for key, score in rows]
        return SearchResult(total, hits, facets)

    @staticmethod
    def _facets(connection, matched: str, params: list) -> dict[str, dict[object, int]]:
        """Every facet's counts in one statement over the matched rows."""
        parts = [
            f"SELECT '{name}', {column}, count(*) FROM hits"  # noqa: S608 (fixed names)
            f" WHERE {column} IS NOT NULL AND {column} != '' GROUP BY {column}"
            for name, columns in _FACET_COLUMNS.items()
            for column in columns
        ]
        columns = "d.kind, d.agency, d.topic, d.topic_parent, d.doc_type, d.year, d.validity"
        sql = f"WITH hits AS MATERIALIZED (SELECT {columns} {matched}) {' UNION ALL '.join(parts)}"
        facets: dict[str, dict[object, int]] = {name: {} for name in FACET_FIELDS}
        for name, value, count in connection.execute(sql, params):
            facets[name][value] = facets[name].get(value, 0) + count
        return facets

    def clear(self) -> None:
        connection = self.connection
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("DELETE FROM doc")
        connection.execute("DELETE FROM doc_tokens")
        connection.execute("INSERT INTO fts (fts) VALUES ('delete-all')")
        connection.execute("INSERT INTO fts_title (fts_title) VALUES ('delete-all')")
        connection.execute(
            "INSERT OR REPLACE INTO meta (name, value) VALUES ('analyzer', ?)",
            [analyzer.ANALYZER_VERSION],
        )
        connection.execute("COMMIT")

    def health(self) -> Health:
        try:
            connection = self.connection
            documents = connection.execute("SELECT count(*) FROM doc").fetchone()[0]
            row = connection.execute("SELECT value FROM meta WHERE name = 'analyzer'").fetchone()
        except sqlite3.Error as error:
            return Health(False, 0, "", str(error))
        return Health(True, documents, row[0] if row else "")


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None
