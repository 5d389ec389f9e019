"""Precision and recall of the personal-information scan (zwgk.records.pii) on a labelled sample.

Data: ``tests/records/pii_sample.jsonl`` in the repository, one fictional
document a line: government notices, 行政处罚决定书, 公示 tables, 申请书 and
replies, with generated numbers (valid 公民身份号码, Luhn-valid cards, …) and
hard negatives (文号, 统一社会信用代码, wrong check digits, Luhn-failing order
numbers, office phones, 12345).  Each line holds ``text`` and ``findings``:
``{"kind", "start", "end", "text"}`` with offsets into ``text``.  The labels
follow the policy of the module docstring (office phones and government
mailboxes are not personal; every mobile, resident ID, card and natural
person's name is), and were written with the templates, not taken from the
scanner.  Some documents are in full-width characters or carry zero-width
characters inside numbers.

``split`` is ``dev`` (83 documents from 27 templates, used while the rules
were written) or ``holdout`` (30 documents from 11 templates written later,
in other genres and wordings; see docs/benchmarks.md for what was changed
after its first run).

*Exact*: a finding counts when kind, start and end equal a label's.
*Overlap*: when it has the kind of a label and overlaps it (a name cut short,
a phone without its ``+86``).

Run: ``.venv/bin/python benchmarks/pii_accuracy.py [--sample PATH] [--examples]``.
"""

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

from zwgk.records.pii import FindingKind, scan

SAMPLE = Path(__file__).resolve().parents[1] / "tests" / "records" / "pii_sample.jsonl"
TARGET_PRECISION = 0.95  # overall, exact
TARGET_RECALL = 0.85  # overall, exact


def ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def evaluate(docs: list[dict]) -> tuple[dict, list[tuple[str, str, str, str]], float]:
    """Counts per (mode, kind) of tp/fp/fn; the examples of errors; seconds spent scanning."""
    counts: dict[tuple[str, str], Counter] = {}
    errors = []
    elapsed = 0.0
    for doc in docs:
        gold = {(f["kind"], f["start"], f["end"]) for f in doc["findings"]}
        t0 = time.perf_counter()
        found = scan(doc["text"])
        elapsed += time.perf_counter() - t0
        got = {(f.kind.value, f.start, f.end) for f in found}
        for kind in [k.value for k in FindingKind]:
            g = {x for x in gold if x[0] == kind}
            p = {x for x in got if x[0] == kind}
            exact = counts.setdefault(("exact", kind), Counter())
            exact.update(tp=len(g & p), fp=len(p - g), fn=len(g - p))
            overlap = counts.setdefault(("overlap", kind), Counter())
            hits = {x for x in p if any(y[1] < x[2] and x[1] < y[2] for y in g)}
            found_gold = {y for y in g if any(y[1] < x[2] and x[1] < y[2] for x in p)}
            overlap.update(tp=len(found_gold), fp=len(p - hits), fn=len(g - found_gold))
            for label, spans in (("miss", g - p), ("false", p - g)):
                for _, start, end in sorted(spans):
                    context = doc["text"][max(0, start - 12) : end + 6].replace("\n", "⏎")
                    errors.append(
                        (label, kind, doc["id"], f"{doc['text'][start:end]!r} in …{context}…")
                    )
    return counts, errors, elapsed


def table(counts: dict, mode: str, title: str) -> tuple[float, float]:
    print(
        f"{title:18} {'labels':>6} {'found':>6} {'tp':>4} {'fp':>4} {'fn':>4} "
        f"{'precision':>9} {'recall':>7}"
    )
    total = Counter()
    for kind in [k.value for k in FindingKind]:
        c = counts[(mode, kind)]
        total.update(c)
        print(
            f"  {kind:16} {c['tp'] + c['fn']:6} {c['tp'] + c['fp']:6} {c['tp']:4} "
            f"{c['fp']:4} {c['fn']:4} {ratio(c['tp'], c['tp'] + c['fp']):9.3f} "
            f"{ratio(c['tp'], c['tp'] + c['fn']):7.3f}"
        )
    precision = ratio(total["tp"], total["tp"] + total["fp"])
    recall = ratio(total["tp"], total["tp"] + total["fn"])
    print(
        f"  {'all':16} {total['tp'] + total['fn']:6} {total['tp'] + total['fp']:6} "
        f"{total['tp']:4} {total['fp']:4} {total['fn']:4} {precision:9.3f} {recall:7.3f}\n"
    )
    return precision, recall


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=Path, default=SAMPLE)
    parser.add_argument(
        "--examples", action="store_true", help="list every miss and false positive"
    )
    args = parser.parse_args()
    if not args.sample.exists():
        sys.exit(f"no sample at {args.sample}")
    docs = [json.loads(line) for line in args.sample.read_text().splitlines() if line.strip()]
    labelled = sum(len(d["findings"]) for d in docs)
    chars = sum(len(d["text"]) for d in docs)
    print(f"{len(docs)} documents, {labelled} labelled findings, {chars} characters")
    for split in ("dev", "holdout"):
        part = [d for d in docs if d.get("split", "dev") == split]
        n = sum(len(d["findings"]) for d in part)
        counts, _, _ = evaluate(part)
        table(counts, "exact", f"{split} ({len(part)} docs, {n} labels), exact")
    counts, errors, elapsed = evaluate(docs)
    precision, recall = table(counts, "exact", "all, exact")
    table(counts, "overlap", "all, overlap")
    print(f"scan: {elapsed * 1000:.1f} ms in all, {chars / elapsed / 1e6:.2f} M characters/s")
    if args.examples:
        for label, kind, doc_id, text in sorted(errors):
            print(f"{label:5} {kind:12} {doc_id} {text}")
    if precision < TARGET_PRECISION or recall < TARGET_RECALL:
        print(f"target missed: precision ≥ {TARGET_PRECISION}, recall ≥ {TARGET_RECALL} (exact)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
