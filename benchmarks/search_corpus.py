"""The real corpus of the search benchmarks: laws, their articles and policy titles.

Data: the shared data folder (see shared/data/SOURCES.md):

- ``lawrefbook/``: laws, regulations, judicial interpretations, cases and the
  Shanghai/Shandong local regulations (``DLC/``) as Markdown, one file per
  version (``诉讼与非诉讼程序法/行政复议法(2017-09-01).md`` and
  ``…(2023-09-01).md``).  Each file joins its row of ``db.sqlite3`` (or of
  ``DLC/<collection>/db.sqlite3``) on the name and publication date in the
  file name (and the folder, where that is ambiguous); the row says whether
  that version has expired.  27 files have no row (cases whose file name
  differs from the row's name): they count as valid.  Four laws are filed
  twice, in two folders, and are indexed twice.
- ``policy-docs/titles_dates_docnums.csv``: titles, dates and 文号 of State
  Council and provincial documents; exact duplicate rows (same URL) are
  left out.

Documents (:class:`~zwgk.search.backends.base.SearchDocument`):

- a law: key ``law:<path under lawrefbook>``, title its ``# `` heading (and
  the second heading of a split law: ``中华人民共和国民法典 合同编``), text the
  Markdown below the headings, kind ``law``, validity ``expired`` when the
  row says so, else ``valid``, published at the date of the file name or the
  row;
- each article (条) of a law: key ``law:<path>#第三十三条``, title the short
  name and the article (``政府信息公开条例 第三十三条``), text the article's
  lines up to the next article or heading, kind ``article``, the law's
  validity and date.  An article number repeated in one file (parts of a
  judicial interpretation that start again at 第一条) gets ``~2``, ``~3``;
- a policy title: key ``policy:<data row number in the CSV>``, the title,
  no text, its 文号, kind ``policy``, published at 发布日期 (else 成文日期).

Used by ``search_relevance.py`` and ``tests/search/test_relevance_smoke.py``.
"""

import csv
import os
import re
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from zwgk.search.backends.base import VALID, SearchDocument

EXPIRED = "expired"
LAWS = "lawrefbook"
POLICIES = Path("policy-docs", "titles_dates_docnums.csv")
NOT_LAWS = {"README.md", "法律法规模版.md", "_index.md"}

_DATED = re.compile(r"^(?P<name>.+)\((?P<date>\d{4}-\d{2}-\d{2})\)$")
_ARTICLE = re.compile(
    r"^(第[零〇一二三四五六七八九十百千]+条(?:之[一二三四五六七八九十]+)?)(?:\s|$)"
)
_COMMENT = re.compile(r"<!--.*?-->")
INFO_END = "<!-- INFO END -->"


def default_data_dir() -> Path:
    """``$ZWGK_SHARED_DATA``, else ``shared/data`` beside the repository."""
    if os.environ.get("ZWGK_SHARED_DATA"):
        return Path(os.environ["ZWGK_SHARED_DATA"])
    return Path(__file__).resolve().parents[2] / "shared" / "data"


def missing_data(data: Path) -> str | None:
    """Why the corpus cannot be read from ``data``, or ``None``."""
    for needed in (data / LAWS / "db.sqlite3", data / POLICIES):
        if not needed.is_file():
            return f"{needed} not found: pass --data PATH or set ZWGK_SHARED_DATA."
    return None


# --- laws -------------------------------------------------------------------


@dataclass(frozen=True)
class LawRow:
    name: str
    publish: date | None
    expired: bool


Rows = dict[tuple[str, date | None], list[tuple[str, LawRow]]]


def law_rows(root: Path) -> Rows:
    """Every row of the law databases by (file name, publish date), with its folder.

    The file name is the row's ``filename`` where it has one (``总则`` for
    ``民法典 总则``), else its name.
    """
    rows: Rows = {}
    for database in [root / "db.sqlite3", *sorted(root.glob("DLC/*/db.sqlite3"))]:
        prefix = database.parent.relative_to(root)
        with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as connection:
            for folder, name, filename, publish, expired in connection.execute(
                "SELECT c.folder, l.name, l.filename, l.publish, l.expired"
                " FROM law l JOIN category c ON c.id = l.category_id"
            ):
                published = date.fromisoformat(publish) if publish else None
                rows.setdefault((filename or name, published), []).append(
                    ((prefix / folder).as_posix(), LawRow(name, published, bool(expired)))
                )
    return rows


def law_paths(root: Path) -> list[Path]:
    return sorted(
        path for path in root.rglob("*.md") if path.name not in NOT_LAWS and path.is_file()
    )


def find_row(rows: Rows, folder: str, stem: str) -> tuple[str, date | None, LawRow | None]:
    """The name and date in a law file's name, and its database row if one fits.

    The row has the file's name and date (any date when the file name has
    none: ``刑法.md``), in the file's folder if there are several; a few
    files are filed in another folder than their row's category.
    """
    match = _DATED.match(stem)
    name, published = (match["name"], date.fromisoformat(match["date"])) if match else (stem, None)
    candidates = rows.get((name, published), [])
    if not candidates and published is None:
        candidates = [c for (n, _), found in rows.items() if n == name for c in found]
    in_folder = [row for f, row in candidates if f == folder]
    chosen = in_folder or [row for _, row in candidates]
    return name, published, chosen[0] if len(chosen) == 1 else None


@dataclass(frozen=True)
class ParsedLaw:
    title: str
    body: str
    articles: list[tuple[str, str]]  # (label, text), in order


def parse_law(markdown: str) -> ParsedLaw:
    """The ``# `` headings above ``<!-- INFO END -->``, the lines below them, the articles."""
    lines = markdown.splitlines()
    info_end = lines.index(INFO_END) if INFO_END in lines else -1
    headings = [
        _COMMENT.sub("", line[2:]).strip() for line in lines[:info_end] if line.startswith("# ")
    ]
    body = [
        _COMMENT.sub("", line).rstrip()
        for number, line in enumerate(lines)
        if not (number < info_end and line.startswith("# "))
    ]
    articles: list[tuple[str, list[str]]] = []
    current: list[str] | None = None  # the lines of the article being read
    for line in lines[info_end + 1 :]:
        match = _ARTICLE.match(line)
        if match:
            current = [line.strip()]
            articles.append((match[1], current))
        elif line.startswith("#"):
            current = None  # an article ends at a heading
        elif current is not None and line.strip():
            current.append(line.strip())
    return ParsedLaw(
        " ".join(headings),
        "\n".join(body).strip(),
        [(label, "\n".join(text)) for label, text in articles],
    )


def law_documents(
    data: Path, *, only: Callable[[str], bool] | None = None, limit: int | None = None
) -> Iterator[SearchDocument]:
    """Each law file as a document, followed by its articles.

    ``only`` picks files by their path under ``lawrefbook`` (``行政法规/…md``);
    ``limit`` stops after that many files.
    """
    root = data / LAWS
    rows = law_rows(root)
    paths = [p for p in law_paths(root) if only is None or only(p.relative_to(root).as_posix())]
    for path in paths[:limit]:
        relative = path.relative_to(root).as_posix()
        name, published, row = find_row(rows, path.parent.relative_to(root).as_posix(), path.stem)
        if published is None and row is not None:
            published = row.publish
        law = parse_law(path.read_text(encoding="utf-8"))
        common = {
            "published_at": _moment(published),
            "validity": EXPIRED if row is not None and row.expired else VALID,
        }
        key = f"law:{relative}"
        yield SearchDocument(key, "law", law.title or name, law.body, **common)
        short = row.name if row is not None else name
        seen: Counter[str] = Counter()
        for label, text in law.articles:
            seen[label] += 1
            anchor = label if seen[label] == 1 else f"{label}~{seen[label]}"
            yield SearchDocument(f"{key}#{anchor}", "article", f"{short} {label}", text, **common)


# --- policy titles ----------------------------------------------------------


def policy_documents(
    data: Path, *, only: Callable[[dict[str, str]], bool] | None = None
) -> Iterator[SearchDocument]:
    """Each distinct row of ``titles_dates_docnums.csv`` (``only`` picks rows) as a document."""
    seen = set()
    with (data / POLICIES).open(encoding="utf-8", newline="") as f:
        for number, row in enumerate(csv.DictReader(f), start=1):
            if row["url"] in seen or (only is not None and not only(row)):
                continue
            seen.add(row["url"])
            day = row["publish_date"] or row["issue_date"]
            yield SearchDocument(
                key=f"policy:{number}",
                kind="policy",
                title=row["title"],
                text="",
                published_at=_moment(date.fromisoformat(day) if day else None),
                doc_number=row["doc_number"],
            )


def corpus(data: Path, *, limit_laws: int | None = None) -> Iterator[SearchDocument]:
    """The whole corpus: laws with their articles, then policy titles."""
    yield from law_documents(data, limit=limit_laws)
    yield from policy_documents(data)


def _moment(day: date | None) -> datetime | None:
    return datetime(day.year, day.month, day.day, tzinfo=UTC) if day else None
