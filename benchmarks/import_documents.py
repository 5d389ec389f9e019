"""Document import: field accuracy on real scraped documents, and throughput.

Accuracy: ``policy-docs/fulltext_documents.csv`` of the shared data (42
full-text documents scraped from government sites with their page furniture,
see shared/data/SOURCES.md).  Each ``Body`` goes through
:func:`zwgk.importer.extract.extract` exactly as a .txt file would, and the
fields are compared with the CSV's columns:

- 标题 with ``Title``: *exact* after removing whitespace; *lenient* also drops
  the site's tags (``[有效]``, ``（已废止）``) and a 文号 the site put before
  the title (``农办计〔2016〕92号《…》``), accepts a title the site
  abbreviated (``市民政局关于…`` for ``上海市民政局关于…``: one is the end of
  the other) or cut (``…调整...``: prefix);
- 成文日期 with ``Date``;
- 发文机关 with ``main_issuer``: the column holds the province or ministry
  (``北京``, ``住房和城乡建设部``), so a hit is ``main_issuer`` contained in the
  extracted 发文机关 (``undetermined`` rows are left out);
- 文号: the CSV has no 文号 column; the reference is the 文号 written in the
  ``Title`` column (``农办计〔2016〕92号《…》``) or, joined on ``Link``, the
  ``doc_number`` of ``titles_dates_docnums.csv``; compared normalised
  (:func:`zwgk.records.docnum.normalize_docnum`).

Rows whose ``Body`` is empty, ``error`` or page furniture only (the scraper
got no text) are counted apart: nothing can be extracted from them.

Throughput: ``--count`` generated .txt and .html documents (half each, ~3 KB,
with furniture) in a temporary folder, imported by
:func:`zwgk.importer.actions.import_paths` into a fresh SQLite database in a
temporary folder (or ``--database-url``), as drafts and again with
``publish=True``; documents per second, target ≥ 200.

Run from the repository root::

    .venv/bin/python benchmarks/import_documents.py
    .venv/bin/python benchmarks/import_documents.py --count 2000 --examples
"""

import argparse
import csv
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGET_PER_SECOND = 200.0


def shared_data(arg: str | None) -> Path:
    for candidate in (
        arg,
        os.environ.get("ZWGK_SHARED_DATA"),
        str(ROOT.parent / "shared" / "data"),
    ):
        if candidate and Path(candidate, "policy-docs", "fulltext_documents.csv").exists():
            return Path(candidate)
    sys.exit("fulltext_documents.csv not found: pass --data PATH (the shared data folder)")


# ---------------------------------------------------------------- accuracy

_TAGS = re.compile(r"^\[[^\]]{1,6}\]|[（(](?:已废止|已失效|失效|废止)[）)]")


def _norm_title(text: str) -> str:
    return re.sub(r"\s+", "", text)


def title_match(found: str, expected: str) -> tuple[bool, bool]:
    a, b = _norm_title(found), _norm_title(expected)
    exact = bool(a) and a == b
    a2, b2 = _TAGS.sub("", a), _TAGS.sub("", b)
    wrapped = re.fullmatch(r".{2,24}?号《(.+)》", b2)  # 农办计〔2016〕92号《…的批复》
    b2 = wrapped[1] if wrapped else b2
    lenient = exact or (
        bool(a2)
        and (
            a2 == b2
            or (min(len(a2), len(b2)) >= 10 and (a2.endswith(b2) or b2.endswith(a2)))
            or (b2.endswith("...") and a2.startswith(b2[:-3]))
        )
    )
    return exact, lenient


_DOCNUM_IN_TITLE = re.compile(r"^(.{2,20}?〔\d{4}〕\d+号)|^(.{2,20}?公告\d{4}年第\d+号)")


def accuracy(data: Path, examples: bool) -> dict:
    from zwgk.importer.extract import extract
    from zwgk.records.docnum import normalize_docnum

    csv.field_size_limit(1 << 30)
    folder = data / "policy-docs"
    with open(folder / "fulltext_documents.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    joined = {}
    with open(folder / "titles_dates_docnums.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if row["doc_number"].strip():
                joined[row["url"]] = row["doc_number"]
    stats = {
        k: [0, 0]
        for k in ("title_exact", "title_lenient", "written_on", "issuer", "doc_number", "no_text")
    }
    misses = []
    started = time.perf_counter()
    for row in rows:
        body = row["Body"]
        if len(re.sub(r"\s|选择字体：\[大-中-小\]|扫一扫在手机打开当前页", "", body)) < 60 or (
            body.strip() == "error"
        ):
            stats["no_text"][1] += 1
            stats["no_text"][0] += 1
            continue
        e = extract(body)
        exact, lenient = title_match(e.title, row["Title"])
        for key, ok in (("title_exact", exact), ("title_lenient", lenient)):
            stats[key][0] += ok
            stats[key][1] += 1
        date_ok = e.written_on is not None and e.written_on.isoformat() == row["Date"]
        stats["written_on"][0] += date_ok
        stats["written_on"][1] += 1
        if row["main_issuer"] != "undetermined":
            issuer_ok = bool(e.issuer) and row["main_issuer"] in e.issuer
            stats["issuer"][0] += issuer_ok
            stats["issuer"][1] += 1
        else:
            issuer_ok = True
        m = _DOCNUM_IN_TITLE.match(row["Title"])
        reference = joined.get(row["Link"]) or (m.group(0) if m else "")
        docnum_ok = True
        if reference:
            docnum_ok = normalize_docnum(e.doc_number) == normalize_docnum(reference)
            stats["doc_number"][0] += docnum_ok
            stats["doc_number"][1] += 1
        if not (lenient and date_ok and issuer_ok and docnum_ok):
            misses.append((row, e, reference))
    seconds = time.perf_counter() - started
    print(f"Field accuracy on {len(rows)} documents of fulltext_documents.csv")
    print(f"  without text (empty, 'error', furniture only): {stats['no_text'][1]}")
    labels = {
        "title_exact": "标题 (exact)",
        "title_lenient": "标题 (lenient)",
        "written_on": "成文日期 = Date",
        "issuer": "发文机关 ⊇ main_issuer",
        "doc_number": "文号 (where a reference exists)",
    }
    for key, label in labels.items():
        hit, total = stats[key]
        print(f"  {label:34} {hit:3}/{total:<3} {100 * hit / total if total else 0:5.1f} %")
    print(f"  extraction time: {1000 * seconds / max(1, len(rows)):.2f} ms per document")
    if examples:
        print("\nDocuments with a miss:")
        for row, e, reference in misses:
            print(
                f"  [{row['']}] {row['Title'][:40]!r} -> {e.title[:40]!r} | "
                f"{row['Date']} -> {e.written_on} | {row['main_issuer']} -> {e.issuer!r} | "
                f"{reference or '-'} -> {e.doc_number or '-'}"
            )
    return stats


# ---------------------------------------------------------------- throughput

FILLER = (
    "为深入贯彻落实有关决策部署，进一步做好政府信息公开工作，提升政务公开质量和实效，"
    "结合本地实际，现就有关事项通知如下。各单位要高度重视，明确责任分工，认真抓好落实。"
)


def text_document(n: int) -> str:
    paras = "\n".join(f"{k}、{FILLER * 3}" for k in "一二三四五六")
    return (
        f"当前位置：首页 > 政务公开 > 通知公告\n示范市教育局关于做好第{n}批示范工作的通知\n"
        f"示教发〔2024〕{n}号\n各区教育局，各直属学校：\n{paras}\n示范市教育局\n"
        f"2024年{n % 12 + 1}月{n % 28 + 1}日\n分享到\n打印本页 关闭窗口\n扫描二维码 关注我们\n"
    )


def html_document(n: int) -> str:
    paras = "".join(f"<p>{k}、{FILLER * 3}</p>" for k in "一二三四五六")
    return (
        '<!doctype html><html><head><meta charset="utf-8">'
        f"<title>示范市教育局关于第{n}批示范事项的通知_示范市教育局</title>"
        f'<meta name="PubDate" content="2024-{n % 12 + 1:02d}-{n % 28 + 1:02d} 10:00">'
        "<script>var a=1;</script></head><body><nav>首页 | 政务公开</nav>"
        "<div class='crumb'>当前位置：首页 &gt; 政务公开</div>"
        f"<div><p>示教函〔2024〕{n}号</p><p>示范市教育局关于第{n}批示范事项的通知</p>"
        f"<p>各区教育局：</p>{paras}<p>示范市教育局</p>"
        f"<p>2024年{n % 12 + 1}月{n % 28 + 1}日</p></div>"
        "<div>【打印本页】【关闭窗口】</div><footer>网站地图</footer></body></html>"
    )


def throughput(count: int, database_url: str | None) -> list[tuple[str, int, float]]:
    tmp = Path(tempfile.mkdtemp(prefix="zwgk-import-bench-"))
    os.environ["ZWGK_DATABASE_URL"] = database_url or f"sqlite:///{tmp / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from zwgk.importer.actions import import_paths
    from zwgk.organizations.choices import AgencyKind, AgencyLevel
    from zwgk.organizations.models import Agency
    from zwgk.records.models import TopicCategory

    call_command("migrate", verbosity=0)
    agency, _ = Agency.objects.get_or_create(
        name="导入基准示范市教育局",
        defaults={
            "kind": AgencyKind.DEPARTMENT,
            "level": AgencyLevel.CITY,
            "index_prefix": "DRJZ",
        },
    )
    topic = TopicCategory.objects.get(name="综合政务", parent__isnull=True)
    results = []
    for mode, offset in (("drafts", 0), ("publish", 100000)):
        folder = tmp / mode
        folder.mkdir()
        for n in range(offset + 1, offset + count + 1):
            if n % 2:
                (folder / f"{n}.txt").write_text(text_document(n), encoding="utf-8")
            else:
                (folder / f"{n}.html").write_text(html_document(n), encoding="utf-8")
        started = time.perf_counter()
        run = import_paths([folder], agency=agency, topic=topic, publish=mode == "publish")
        seconds = time.perf_counter() - started
        done = run.count("created") + run.count("published")
        assert done == count, [(o.path, o.message, o.notes) for o in run.outcomes][:5]
        again = import_paths([folder], agency=agency, topic=topic)
        assert again.count("duplicate") == count
        results.append((mode, count, seconds))
    print(f"\nThroughput ({count} documents, half .txt half .html, ~3 KB each)")
    vendor = django.db.connection.vendor
    for mode, n, seconds in results:
        rate = n / seconds
        verdict = "ok" if rate >= TARGET_PER_SECOND else "BELOW TARGET"
        print(f"  {mode:8} {n} in {seconds:.2f} s = {rate:.0f} documents/s on {vendor} ({verdict})")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", help="the shared data folder (contains policy-docs/)")
    parser.add_argument("--count", type=int, default=1000, help="documents per throughput run")
    parser.add_argument("--database-url", help="database for the throughput run (default: SQLite)")
    parser.add_argument("--examples", action="store_true", help="list the documents with a miss")
    parser.add_argument("--no-throughput", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    accuracy(shared_data(args.data), args.examples)
    if not args.no_throughput:
        throughput(args.count, args.database_url)


if __name__ == "__main__":
    main()
