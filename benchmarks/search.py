"""Search at scale: build time, index size and query latency per backend and corpus size.

Synthetic documents are built from real text of the shared data folder:
sentences (split at 。！？ and line ends) of the laws in ``lawrefbook/`` and
the State Council work reports in ``gov-work-reports/``, and the titles and
文号 of ``policy-docs/titles_dates_docnums.csv``.  Document *i* (seeded) is a
real title, its 文号, and real sentences drawn at random up to about 3 KB,
one per line, with random 发布机关 (50), 主题分类 (22 first levels, 60 second
levels), 文种, content type, 发布日期 over ten years and 有效性 (90 % 有效).

Analysis: :func:`zwgk.search.analyzer.index_tokens` works line by line, so a
document's tokens are the concatenation of its lines' tokens.  The script
analyses each distinct sentence once and builds every document's tokens by
joining, which makes a million documents affordable; the figure for the
**whole** pipeline (text in, tokens out) is measured separately on
``--pipeline-docs`` real documents, with one process and with one per core.
A test (``tests/search/test_benchmark_corpus.py``) checks that the joined
tokens equal the pipeline's.  The rate from text to a committed index (the
pipeline in one process per core beside the backend's writes, as ``zwgk
search rebuild`` runs) is measured per backend on ``--end-to-end-docs``
documents.

Queries (``--queries``, default 600): 60 % two words, 25 % one word, 15 %
three words, taken from consecutive words of random sentences of the corpus
(so they have hits), a quarter of them with a filter (发布机关 or year).
Each is run ranked (top 10 by relevance, no facets), date-sorted (top 10,
newest first) and ranked with facet counts (as the search page asks).

Reproduce (PostgreSQL backend: a database of its own, migrated by the script)::

    createdb -h 127.0.0.1 -U postgres zwgk_bench_search
    .venv/bin/python benchmarks/search.py --sizes 10000,100000 --backends sqlite,postgres,tantivy
    .venv/bin/python benchmarks/search.py --sizes 1000000 --backends tantivy,sqlite
    dropdb -h 127.0.0.1 -U postgres zwgk_bench_search
"""

import argparse
import csv
import json
import multiprocessing
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DB_NAME = "zwgk_bench_search"
TARGET_BYTES = 3000
AGENCIES = 50
TOPICS = [(first, None) for first in range(1, 23)] + [
    (23 + n, 1 + n % 22) for n in range(60)
]  # (topic, first level)
DOC_TYPES = ["notice", "opinion", "decision", "announcement", "reply", "letter", "other"]
KINDS = ["policy", "interpretation", "other"]
SENTENCE_END = re.compile(r"(?<=[。！？；])|\n")


def data_folder(given: str | None) -> Path:
    for candidate in (given, os.environ.get("ZWGK_SHARED_DATA"), ROOT.parent / "shared" / "data"):
        if candidate and Path(candidate, "lawrefbook").is_dir():
            return Path(candidate)
    sys.exit("找不到共享数据目录（../shared/data、$ZWGK_SHARED_DATA 或 --data）。")


def setup_django(database_url: str | None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zwgk.settings")
    os.environ.setdefault("ZWGK_SECRET_KEY", "benchmark-only-" + "x" * 40)
    os.environ["ZWGK_DEBUG"] = "1"
    if database_url:
        os.environ["ZWGK_DATABASE_URL"] = database_url
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


# ---------------------------------------------------------------- the corpus


def read_sentences(data: Path) -> list[str]:
    sentences: list[str] = []
    for path in sorted((data / "lawrefbook").rglob("*.md")):
        text = path.read_text("utf-8", errors="replace").split("<!-- INFO END -->")[-1]
        sentences.extend(s.strip() for s in SENTENCE_END.split(text))
    with open(data / "gov-work-reports" / "government_work_reports.jsonl", encoding="utf-8") as f:
        for line in f:
            sentences.extend(s.strip() for s in SENTENCE_END.split(json.loads(line)["content"]))
    return sorted({s for s in sentences if 8 <= len(s) <= 300 and not s.startswith("#")})


def read_titles(data: Path) -> list[tuple[str, str]]:
    with open(data / "policy-docs" / "titles_dates_docnums.csv", encoding="utf-8") as f:
        return [(row["title"], row["doc_number"]) for row in csv.DictReader(f) if row["title"]]


def _analyse(text: str) -> str:
    from zwgk.search import analyzer

    return " ".join(analyzer.index_tokens(text))


def analyse_all(texts: list[str], processes: int) -> list[str]:
    with multiprocessing.Pool(processes, initializer=_init_worker) as pool:
        return pool.map(_analyse, texts, chunksize=500)


def _init_worker() -> None:
    import django

    django.setup()


class Corpus:
    """Real sentences and titles, analysed once; documents drawn from them by seed."""

    def __init__(self, data: Path, processes: int) -> None:
        started = time.perf_counter()
        self.sentences = read_sentences(data)
        self.titles = read_titles(data)
        print(
            f"语料：{len(self.sentences):,} 个句子，{len(self.titles):,} 个标题；分析中…",
            flush=True,
        )
        self.sentence_tokens = analyse_all(self.sentences, processes)
        self.title_tokens = analyse_all(
            [f"{title}\n{docnum}" for title, docnum in self.titles], processes
        )
        self.sentence_bytes = [len(s.encode()) for s in self.sentences]
        print(f"语料分析用时 {time.perf_counter() - started:.0f} 秒。", flush=True)

    def document(self, i: int, seed: int):
        """Document ``i``: (SearchDocument, title tokens, text tokens)."""
        from zwgk.search.backends.base import SearchDocument

        rng = random.Random(seed * 1_000_003 + i)
        t = rng.randrange(len(self.titles))
        title, docnum = self.titles[t]
        picked, size = [], 0
        while size < TARGET_BYTES:
            s = rng.randrange(len(self.sentences))
            picked.append(s)
            size += self.sentence_bytes[s] + 1
        topic, parent = TOPICS[rng.randrange(len(TOPICS))]
        document = SearchDocument(
            key=f"doc:{i}",
            kind=rng.choice(KINDS),
            title=title,
            text="\n".join(self.sentences[s] for s in picked),
            published_at=datetime(2016, 1, 1, tzinfo=UTC)
            + timedelta(seconds=rng.randrange(10 * 365 * 86400)),
            agency=1 + rng.randrange(AGENCIES),
            topics=(topic, parent) if parent else (topic,),
            doc_type=rng.choice(DOC_TYPES),
            validity="valid" if rng.random() < 0.9 else rng.choice(["expired", "abolished"]),
            doc_number=docnum,
        )
        return document, self.title_tokens[t], " ".join(self.sentence_tokens[s] for s in picked)

    def analysed(self, start: int, count: int, seed: int):
        """Documents ``start`` … ``start + count - 1``, analysed by joining their lines' tokens."""
        from zwgk.search.backends.base import AnalyzedDocument

        for i in range(start, start + count):
            document, title, text = self.document(i, seed)
            yield AnalyzedDocument(document, title, text)

    def queries(self, count: int, seed: int) -> list[tuple[tuple[str, ...], dict]]:
        from zwgk.search import analyzer

        rng = random.Random(seed)
        out = []
        while len(out) < count:
            words = [
                w
                for w in analyzer.query_tokens(self.sentences[rng.randrange(len(self.sentences))])
                if len(w) >= 2 and not w.isdigit()
            ]
            size = rng.choices([1, 2, 3], weights=[25, 60, 15])[0]
            if len(words) < size:
                continue
            start = rng.randrange(len(words) - size + 1)
            filters: dict = {}
            if rng.random() < 0.25:
                filters = (
                    {"agency": 1 + rng.randrange(AGENCIES)}
                    if rng.random() < 0.5
                    else {"year": 2016 + rng.randrange(10)}
                )
            out.append((tuple(dict.fromkeys(words[start : start + size])), filters))
        return out


# ---------------------------------------------------------------- measuring


def pipeline_rate(corpus: Corpus, docs: int, seed: int, processes: int) -> dict[str, float]:
    """Documents/s of the whole pipeline (text in, tokens out) on real documents."""
    from zwgk.search.backends.base import analyze_many

    documents = [corpus.document(i, seed + 7)[0] for i in range(docs)]
    megabytes = sum(len(d.text.encode()) + len(d.title.encode()) for d in documents) / 1e6
    started = time.perf_counter()
    for _ in analyze_many(documents):
        pass
    one = time.perf_counter() - started
    started = time.perf_counter()
    for _ in analyze_many(documents, processes):  # as `zwgk search rebuild` does
        pass
    many = time.perf_counter() - started
    return {
        "docs": docs,
        "mb": megabytes,
        "one_process": docs / one,
        "processes": processes,
        "all_processes": docs / many,
    }


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def size_of(backend, path: Path) -> int:
    if backend.name == "postgres":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_total_relation_size('search_index_doc')")
            return cursor.fetchone()[0]
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def run_queries(backend, queries, **options) -> dict[str, float]:
    from zwgk.search.backends.base import SearchQuery

    for tokens, filters in queries[:20]:  # warm caches
        backend.search(SearchQuery(tokens, filters, **options))
    times, hits = [], 0
    for tokens, filters in queries:
        started = time.perf_counter()
        result = backend.search(SearchQuery(tokens, filters, **options))
        times.append((time.perf_counter() - started) * 1000)
        hits += result.total > 0
    return {
        "p50": percentile(times, 50),
        "p95": percentile(times, 95),
        "p99": percentile(times, 99),
        "mean": statistics.fmean(times),
        "with_hits": hits / len(queries),
    }


def bench_backend(name: str, corpus: Corpus, size: int, queries, seed: int) -> dict:
    from django.conf import settings

    from zwgk.search.backends import make_backend

    folder = Path(tempfile.mkdtemp(prefix=f"zwgk_bench_search_{name}_"))
    settings.SEARCH_PATH = folder
    backend = make_backend(name)
    try:
        backend.clear()
        started = time.perf_counter()
        written = 0
        report_every = max(10_000, size // 10)
        for chunk_start in range(0, size, report_every):
            count = min(report_every, size - chunk_start)
            written += backend.write(corpus.analysed(chunk_start, count, seed))
            rate = written / (time.perf_counter() - started)
            print(f"    {name}: 已写入 {written:,}/{size:,}，{rate:,.0f} 条/秒", flush=True)
        build = time.perf_counter() - started
        result = {
            "backend": name,
            "documents": size,
            "build_seconds": build,
            "write_rate": size / build,
            "index_bytes": size_of(backend, folder),
            "ranked": run_queries(backend, queries),
            "date": run_queries(backend, queries, sort="date"),
            "ranked_facets": run_queries(backend, queries, facets=True),
        }
    finally:
        backend.close()
        shutil.rmtree(folder, ignore_errors=True)
    return result


def end_to_end_rate(name: str, corpus: Corpus, count: int, seed: int, processes: int) -> float:
    """Documents/s from text to a committed index, as ``zwgk search rebuild`` does it."""
    from django.conf import settings

    from zwgk.search.backends import make_backend

    documents = [corpus.document(i, seed + 11)[0] for i in range(count)]
    folder = Path(tempfile.mkdtemp(prefix=f"zwgk_bench_search_{name}_full_"))
    settings.SEARCH_PATH = folder
    backend = make_backend(name)
    try:
        started = time.perf_counter()
        backend.rebuild(documents, processes=processes)
        return count / (time.perf_counter() - started)
    finally:
        backend.close()
        shutil.rmtree(folder, ignore_errors=True)


def print_result(r: dict) -> None:
    print(
        f"  {r['backend']:10s} {r['documents']:>9,} 篇  建索引 {r['build_seconds']:7.1f} 秒"
        f"（{r['write_rate']:,.0f} 篇/秒，不含分词）  索引 {r['index_bytes'] / 2**20:,.0f} MB"
    )
    for label, key in (("相关度", "ranked"), ("日期", "date"), ("相关度+分面", "ranked_facets")):
        q = r[key]
        print(
            f"      {label:8s} p50 {q['p50']:7.1f}  p95 {q['p95']:7.1f}  p99 {q['p99']:7.1f} 毫秒"
            f"（有结果 {q['with_hits']:.0%}）"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--backends", default="sqlite")
    parser.add_argument("--queries", type=int, default=600)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--pipeline-docs", type=int, default=2000)
    parser.add_argument(
        "--end-to-end-docs", type=int, default=10_000, help="每个后端从原文到索引的计时篇数"
    )
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--database-url", default=f"postgresql://postgres@127.0.0.1:5432/{DB_NAME}")
    parser.add_argument("--json", help="也把结果写入此 JSON 文件")
    args = parser.parse_args()
    data = data_folder(args.data)
    backends = args.backends.split(",")
    setup_django(args.database_url if "postgres" in backends else None)
    if "postgres" in backends:
        from django.core.management import call_command

        call_command("migrate", "search", verbosity=0)

    corpus = Corpus(data, args.processes)
    pipeline = pipeline_rate(corpus, args.pipeline_docs, args.seed, args.processes)
    print(
        f"分词管道（{pipeline['docs']} 篇，{pipeline['mb']:.1f} MB）："
        f"单进程 {pipeline['one_process']:,.0f} 篇/秒，"
        f"{pipeline['processes']} 进程 {pipeline['all_processes']:,.0f} 篇/秒",
        flush=True,
    )
    queries = corpus.queries(args.queries, args.seed + 1)
    end_to_end = {}
    for name in backends:
        end_to_end[name] = end_to_end_rate(
            name, corpus, args.end_to_end_docs, args.seed, args.processes
        )
        print(
            f"{name}：从原文到索引（分词 {args.processes} 进程）"
            f"{end_to_end[name]:,.0f} 篇/秒（{args.end_to_end_docs:,} 篇）",
            flush=True,
        )
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        for name in backends:
            print(f"\n{name}，{size:,} 篇：", flush=True)
            result = bench_backend(name, corpus, size, queries, args.seed)
            print_result(result)
            results.append(result)
    print("\n汇总：")
    for result in results:
        print_result(result)
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {"pipeline": pipeline, "end_to_end": end_to_end, "results": results},
                ensure_ascii=False,
                indent=1,
            )
        )


if __name__ == "__main__":
    main()
