"""Relevance of full-text search on real text: MRR and recall@10 per backend.

Corpus: ``search_corpus.py`` (every law of lawrefbook, each of its articles,
every policy title of policy-docs, about 119,000 documents).  Judgments:
``search_judgments.toml``, queries written from the data with the keys a user
expects in the top 3 and in the top 10, and pairs that must rank in order
(the law in force above its expired version).

For each ``--backend`` the index is built from scratch (sqlite and tantivy in
a temporary folder; postgres in the database of ``--database-url``, whose
search tables it empties; opensearch at ``ZWGK_OPENSEARCH_URL``), every query
runs as `SearchQuery.of(text)` (its tokens and its whole-title token) sorted by relevance,
and the first 10 hits are judged:

- MRR: the mean over queries of 1/rank of the first judged key (top3 or
  top10) in the first 10 hits, 0 when none is there;
- recall@10: judged keys found in the first 10 hits, of all judged keys;
- top3 checks: judged top3 keys found in the first 3 hits;
- ranks_above checks: pairs whose first key is in the first 10 hits and
  above the second (which may be absent).

A query fails when any of its checks fails; the report lists each failing
query with what came back.  Misses are results, not errors: the exit code is
non-zero only when a backend cannot be built or the judgments are broken.

Run from the repository root::

    .venv/bin/python benchmarks/search_relevance.py                    # sqlite
    .venv/bin/python benchmarks/search_relevance.py --limit-laws 200   # quick run
    createdb -h 127.0.0.1 -U postgres relevance
    .venv/bin/python benchmarks/search_relevance.py --backend sqlite --backend postgres \\
        --database-url postgresql://postgres@127.0.0.1:5432/relevance
    .venv/bin/python benchmarks/search_relevance.py --show "行政复议法" --show "国函(2023)98号"
"""

import argparse
import os
import sys
import tempfile
import time
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from search_corpus import corpus, default_data_dir, missing_data  # noqa: E402 (path first)

from zwgk.search.analyzer import query_tokens  # noqa: E402
from zwgk.search.backends.base import (  # noqa: E402
    VALID,
    SearchDocument,
    SearchQuery,
    SearchResult,
)

JUDGMENTS = Path(__file__).with_name("search_judgments.toml")
DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/relevance"
TOP = 10
CLASSES = (
    "law-name",
    "version",
    "question",
    "article",
    "traditional",
    "width",
    "docnum",
    "policy",
    "mixed",
)
FIELDS = {"query", "class", "top3", "top10", "ranks_above", "why"}


# --- judgments --------------------------------------------------------------


@dataclass(frozen=True)
class Judgment:
    query: str
    kind: str  # the query's class
    top3: tuple[str, ...]
    top10: tuple[str, ...]
    ranks_above: tuple[tuple[str, str], ...]
    why: str

    @property
    def relevant(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.top3 + self.top10))

    @property
    def keys(self) -> set[str]:
        return set(self.relevant) | {key for pair in self.ranks_above for key in pair}


def load_judgments(path: Path, known: set[str]) -> list[Judgment]:
    """The judged queries of ``path``; exits on a malformed entry or an unknown key."""
    with path.open("rb") as f:
        entries = tomllib.load(f).get("query", [])
    judgments, problems = [], []
    for number, entry in enumerate(entries, start=1):
        where = f"{path.name} query {number} ({entry.get('query', '?')!r})"
        unknown_fields = set(entry) - FIELDS
        if unknown_fields:
            problems.append(f"{where}: unknown fields {sorted(unknown_fields)}")
        if not entry.get("query") or not entry.get("why"):
            problems.append(f"{where}: needs a query and a why")
        if entry.get("class") not in CLASSES:
            problems.append(f"{where}: class must be one of {', '.join(CLASSES)}")
        if not entry.get("top3") and not entry.get("top10"):
            problems.append(f"{where}: needs top3 or top10 keys")
        pairs = entry.get("ranks_above", [])
        if any(len(pair) != 2 for pair in pairs):
            problems.append(f"{where}: each ranks_above entry is a pair [above, below]")
            continue
        judgment = Judgment(
            entry.get("query", ""),
            entry.get("class", ""),
            tuple(entry.get("top3", [])),
            tuple(entry.get("top10", [])),
            tuple((above, below) for above, below in pairs),
            entry.get("why", ""),
        )
        problems.extend(f"{where}: unknown key {key}" for key in sorted(judgment.keys - known))
        judgments.append(judgment)
    queries = [j.query for j in judgments]
    problems.extend(
        f"{path.name}: query {q!r} is judged twice"
        for q in sorted(set(queries))
        if queries.count(q) > 1
    )
    if problems:
        sys.exit("Broken judgments:\n  " + "\n  ".join(problems))
    return judgments


# --- scoring ----------------------------------------------------------------


@dataclass
class Outcome:
    judgment: Judgment
    hits: list  # the first TOP hits
    total: int
    seconds: float

    def rank(self, key: str) -> int | None:
        for position, hit in enumerate(self.hits, start=1):
            if hit.key == key:
                return position
        return None

    @property
    def reciprocal_rank(self) -> float:
        ranks = [r for key in self.judgment.relevant if (r := self.rank(key))]
        return 1 / min(ranks) if ranks else 0.0

    @property
    def found(self) -> int:
        return sum(1 for key in self.judgment.relevant if self.rank(key))

    @property
    def top3_passed(self) -> int:
        return sum(1 for key in self.judgment.top3 if (r := self.rank(key)) and r <= 3)

    def above(self, pair: tuple[str, str]) -> bool:
        upper, lower = self.rank(pair[0]), self.rank(pair[1])
        return upper is not None and (lower is None or upper < lower)

    @property
    def above_passed(self) -> int:
        return sum(1 for pair in self.judgment.ranks_above if self.above(pair))

    def problems(self) -> list[str]:
        """Why this query fails, one line per failed check; empty when it passes."""
        lines = []
        for key in self.judgment.top3:
            rank = self.rank(key)
            if not rank or rank > 3:
                lines.append(f"not in the top 3: {key} ({_rank(rank)})")
        lines.extend(
            f"not in the top 10: {key}" for key in self.judgment.top10 if not self.rank(key)
        )
        lines.extend(
            f"not above: {upper} ({_rank(self.rank(upper))})"
            f" over {lower} ({_rank(self.rank(lower))})"
            for upper, lower in self.judgment.ranks_above
            if not self.above((upper, lower))
        )
        return lines


def _rank(rank: int | None) -> str:
    return f"rank {rank}" if rank else "not in the top 10"


@dataclass
class Figures:
    queries: int = 0
    reciprocal_ranks: float = 0.0
    judged: int = 0
    found: int = 0
    top3: int = 0
    top3_passed: int = 0
    above: int = 0
    above_passed: int = 0
    failed: int = 0
    outcomes: list[Outcome] = field(default_factory=list)
    failures: list[Outcome] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        judgment = outcome.judgment
        self.outcomes.append(outcome)
        self.queries += 1
        self.reciprocal_ranks += outcome.reciprocal_rank
        self.judged += len(judgment.relevant)
        self.found += outcome.found
        self.top3 += len(judgment.top3)
        self.top3_passed += outcome.top3_passed
        self.above += len(judgment.ranks_above)
        self.above_passed += outcome.above_passed
        if outcome.problems():
            self.failed += 1
            self.failures.append(outcome)

    @property
    def mrr(self) -> float:
        return self.reciprocal_ranks / self.queries if self.queries else 0.0

    @property
    def recall(self) -> float:
        return self.found / self.judged if self.judged else 0.0


# --- running ----------------------------------------------------------------


def setup_django(workdir: Path, database_url: str | None) -> None:
    """Settings with the index and any SQLite files in ``workdir``, never in the repository."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "zwgk.settings"
    os.environ["ZWGK_DEBUG"] = "1"
    os.environ["ZWGK_DATA_DIR"] = str(workdir)
    os.environ["ZWGK_SEARCH_PATH"] = str(workdir / "search")
    if database_url:
        os.environ["ZWGK_DATABASE_URL"] = database_url
    import django

    django.setup()
    if database_url:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def open_backend(name: str):
    """A new, empty backend of that name, or the reason there is none."""
    from zwgk.search.backends import make_backend

    try:
        backend = make_backend(name)
        backend.clear()
    except Exception as error:  # any failure means: not available here
        return None, f"{type(error).__name__}: {error}"
    return backend, ""


def run(backend, queries: Iterable[str]) -> Iterator[tuple[SearchResult, float]]:
    """Each query's first ``TOP`` hits by relevance, and the seconds it took."""
    for text in queries:
        start = time.perf_counter()
        result = backend.search(SearchQuery.of(text, limit=TOP))
        yield result, time.perf_counter() - start


def read_corpus(args) -> tuple[list[SearchDocument], list[Judgment]]:
    """The documents to index and the judgments to run on them."""
    start = time.perf_counter()
    documents = list(corpus(args.data))
    judgments = load_judgments(args.judgments, {d.key for d in documents})
    if args.limit_laws is not None:
        judged = {key.split("#")[0] for j in judgments for key in j.keys if key.startswith("law:")}
        laws = sorted(
            (d.key for d in documents if d.kind == "law"), key=lambda k: (k not in judged, k)
        )
        chosen = set(laws[: args.limit_laws])
        documents = [d for d in documents if d.kind == "policy" or d.key.split("#")[0] in chosen]
    indexed = {d.key for d in documents}
    runnable = [j for j in judgments if j.keys <= indexed]
    kinds = Counter(d.kind for d in documents)
    print(
        f"Corpus: {len(documents):,} documents"
        f" ({', '.join(f'{n:,} {kind}' for kind, n in kinds.items())})"
        f" read in {time.perf_counter() - start:.1f} s from {args.data}"
    )
    skipped = len(judgments) - len(runnable)
    print(
        f"Judgments: {len(judgments)} queries in {args.judgments.name}"
        + (f"; {skipped} skipped (their keys are not indexed)" if skipped else "")
    )
    return documents, runnable


def evaluate(backend, judgments: list[Judgment]) -> tuple[Figures, dict[str, Figures]]:
    figures, per_class = Figures(), defaultdict(Figures)
    outcomes = run(backend, [j.query for j in judgments])
    for judgment, (result, seconds) in zip(judgments, outcomes, strict=True):
        outcome = Outcome(judgment, result.hits, result.total, seconds)
        figures.add(outcome)
        per_class[judgment.kind].add(outcome)
    return figures, per_class


# --- report -----------------------------------------------------------------

HEADER = "queries  MRR@10  recall@10  top3     ranks_above  failing"


def row(f: Figures) -> str:
    return (
        f"{f.queries:7d}  {f.mrr:6.3f}  {f.recall:9.3f}  {f.top3_passed:3d}/{f.top3:<4d}"
        f" {f.above_passed:3d}/{f.above:<7d}  {f.failed:7d}"
    )


def print_hits(hits, documents: dict[str, SearchDocument], indent: str) -> None:
    for position, hit in enumerate(hits, start=1):
        document = documents[hit.key]
        state = "" if document.validity == VALID else f" [{document.validity}]"
        print(f"{indent}{position:2d}. {hit.score:9.4f}  {hit.key}  {document.title}{state}")


def report(name: str, figures: Figures, per_class: dict[str, Figures], documents: dict) -> None:
    print(f"\n  {'class':12s} {HEADER}")
    for kind in CLASSES:
        if kind in per_class:
            print(f"  {kind:12s} {row(per_class[kind])}")
    print(f"  {'all':12s} {row(figures)}")
    print(f"  recall@10 counts {figures.found} of {figures.judged} judged keys")
    print(f"\n  Failing queries on {name}: {figures.failed}")
    for outcome in figures.failures:
        judgment = outcome.judgment
        print(f"\n  [{judgment.kind}] {judgment.query}  — {judgment.why}")
        for line in outcome.problems():
            print(f"      {line}")
        print(f"      returned ({outcome.total} matches):")
        print_hits(outcome.hits, documents, "        ")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--backend",
        action="append",
        help="a search backend: sqlite (default), postgres, tantivy, opensearch; repeatable",
    )
    parser.add_argument("--data", type=Path, default=default_data_dir(), help="shared data folder")
    parser.add_argument("--judgments", type=Path, default=JUDGMENTS, help="the judged queries")
    parser.add_argument(
        "--limit-laws",
        type=int,
        metavar="N",
        help="index only N law files, the judged ones first (quick run; figures not comparable)",
    )
    parser.add_argument(
        "--show",
        action="append",
        metavar="QUERY",
        help="print the tokens and the first 10 hits of QUERY instead of the judged run",
    )
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help=f"PostgreSQL database for the postgres backend (default {DEFAULT_DATABASE_URL})",
    )
    args = parser.parse_args(argv)
    problem = missing_data(args.data)
    if problem:
        sys.exit(problem)
    backends = args.backend or ["sqlite"]
    with tempfile.TemporaryDirectory(prefix="zwgk-relevance-") as workdir:
        setup_django(Path(workdir), args.database_url if "postgres" in backends else None)
        documents, judgments = read_corpus(args)
        by_key = {d.key: d for d in documents}
        errors, summary = 0, []
        for name in backends:
            print(f"\n== {name}")
            backend, reason = open_backend(name)
            if backend is None:
                print(f"  not available: {reason}")
                errors += 1
                continue
            try:
                start = time.perf_counter()
                backend.index(documents)
                built = time.perf_counter() - start
                print(f"  indexed {len(documents):,} documents in {built:.1f} s")
                if args.show:
                    for text, (result, seconds) in zip(
                        args.show, run(backend, args.show), strict=True
                    ):
                        print(f"\n  {text!r} → tokens {query_tokens(text)}")
                        print(f"  {result.total} matches in {seconds * 1000:.1f} ms")
                        print_hits(result.hits, by_key, "    ")
                    continue
                figures, per_class = evaluate(backend, judgments)
                report(name, figures, per_class, by_key)
                summary.append((name, figures, built))
            finally:
                backend.close()
    if summary:
        print(f"\n== Summary\n  {'backend':12s} {HEADER}  index      median query")
        for name, f, built in summary:
            median = sorted(o.seconds for o in f.outcomes)[len(f.outcomes) // 2]
            print(f"  {name:12s} {row(f)}  {built:6.1f} s  {median * 1000:6.1f} ms")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
