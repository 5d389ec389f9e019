"""去标识化 under 保密审查: scan a record's text and attachments, apply the reviewer's decisions.

:func:`review_findings` runs :func:`zwgk.records.pii.scan` over the title, the
内容概述, the body and the extracted text of every attachment, and gives each
finding a *key* ``"<location>/<finding_id>"`` (``body/mobile:42:3f1a…``) that
the review form uses as its field name.

The body is HTML.  It is scanned as text (:func:`html_text`): the text nodes,
HTML-unescaped, joined with a newline at block tags and a tab after table
cells, so labels and table columns work as in plain text.  Every character of
that text remembers where it came from in the markup, and :func:`mask_html`
replaces only the characters of a finding inside their own text nodes — the
tags and attributes are never touched, and a finding split by inline markup
(``138<b>1234</b>5678``) keeps its markup, with the masked form in the first
node.  The body is stored cleaned (``nh3``), so its tags are well formed and a
literal ``<`` in text is always ``&lt;``.

Attachments (PDF, DOCX …) cannot be masked here: deciding to mask a finding in
an attachment means the attachment must be replaced by a de-identified copy
before the record can pass review (:func:`blocking_attachments`).

A decision is stored on the record (``Record.pii_dispositions``) as a list of
entries.  A kept finding is matched again by ``(location, kind, digest)``:
its value is published anyway.  A masked one is stored without the value or
its hash (a hash of a 11-digit mobile is easily reversed), only with its kind,
position and masked form.
"""

import hashlib
import html
import re
from dataclasses import dataclass
from typing import Any

from zwgk.records import pii
from zwgk.records.pii import Disposition, Finding, finding_id

CONTEXT = 20  # characters shown either side of a finding
TEXT_FIELDS = {"title": "标题", "summary": "内容概述", "body": "正文"}

_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")
_ENTITY = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_LINE_TAGS = frozenset(
    {
        "p", "br", "hr", "div", "pre", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6",
        "ul", "ol", "li", "dl", "dt", "dd", "table", "caption", "thead", "tbody", "tfoot", "tr",
    }
)  # fmt: skip
_CELL_TAGS = frozenset({"td", "th"})


# ---------------------------------------------------------------- HTML as text


@dataclass(frozen=True)
class HtmlText:
    """The text of an HTML fragment; ``origin[i]``: the raw span of ``text[i]`` (None: a break)."""

    raw: str
    text: str
    origin: list[tuple[int, int] | None]


def html_text(raw: str) -> HtmlText:
    chars: list[str] = []
    origin: list[tuple[int, int] | None] = []

    def brk(ch: str) -> None:
        if chars and chars[-1] not in "\n\t":
            chars.append(ch)
            origin.append(None)
        elif chars and ch == "\n" and chars[-1] == "\t":
            chars[-1] = "\n"

    def text(start: int, end: int) -> None:
        position = start
        for m in _ENTITY.finditer(raw, start, end):
            for i in range(position, m.start()):
                chars.append(raw[i])
                origin.append((i, i + 1))
            for ch in html.unescape(m.group()):
                chars.append(ch)
                origin.append(m.span())
            position = m.end()
        for i in range(position, end):
            chars.append(raw[i])
            origin.append((i, i + 1))

    position = 0
    for m in _TAG.finditer(raw):
        text(position, m.start())
        name = m.group(2).lower()
        if name in _LINE_TAGS:
            brk("\n")
        elif name in _CELL_TAGS and m.group(1):
            brk("\t")
        position = m.end()
    text(position, len(raw))
    return HtmlText(raw, "".join(chars), origin)


def mask_html(raw: str, findings: list[Finding]) -> str:
    """``raw`` with each finding (offsets in :func:`html_text`) masked inside its text nodes."""
    parsed = html_text(raw)
    replacements: list[tuple[int, int, str]] = []
    for finding in findings:
        if parsed.text[finding.start : finding.end] != finding.text:
            raise ValueError(f"finding {finding_id(finding)} does not match the body")
        runs: list[list[int]] = []  # contiguous raw spans: one per text node
        for span in parsed.origin[finding.start : finding.end]:
            if span is None:
                continue
            if runs and runs[-1][1] == span[0]:
                runs[-1][1] = span[1]
            elif not runs or runs[-1][1] < span[1]:  # an entity gives several chars one span
                runs.append([span[0], span[1]])
        for index, (start, end) in enumerate(runs):
            masked = html.escape(finding.masked, quote=False) if index == 0 else ""
            replacements.append((start, end, masked))
    for start, end, value in sorted(replacements, reverse=True):
        raw = raw[:start] + value + raw[end:]
    return raw


# ---------------------------------------------------------------- findings


@dataclass(frozen=True)
class ReviewFinding:
    """One finding shown to the reviewer, with its place and context."""

    location: str  # "title", "summary", "body" or "attachment:<pk>"
    place: str  # 标题, 正文, 附件“…”
    finding: Finding
    before: str
    after: str

    @property
    def key(self) -> str:
        return f"{self.location}/{finding_id(self.finding)}"

    @property
    def match(self) -> tuple[str, str, str]:
        return (self.location, self.finding.kind.value, _digest(self.finding.text))

    @property
    def in_attachment(self) -> bool:
        return self.location.startswith("attachment:")

    @property
    def kind_label(self) -> str:
        return self.finding.label

    @property
    def text(self) -> str:
        return self.finding.text

    @property
    def masked(self) -> str:
        return self.finding.masked


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:12]


def _text_of(record, location: str) -> str:
    value = getattr(record, location)
    return html_text(value).text if location == "body" else value


def _flat(context: str) -> str:
    """Context on one line: paragraph and cell breaks shown as spaces."""
    return re.sub(r"\s*[\n\t]\s*", " ", context)


def _findings_in(location: str, place: str, text: str) -> list[ReviewFinding]:
    found = []
    for finding in pii.scan(text):
        before = _flat(text[max(0, finding.start - CONTEXT) : finding.start])
        after = _flat(text[finding.end : finding.end + CONTEXT])
        found.append(ReviewFinding(location, place, finding, before, after))
    return found


def review_findings(record, attachments=None) -> list[ReviewFinding]:
    """Every finding in the record's title, summary, body and attachments, in that order."""
    found = []
    for location, place in TEXT_FIELDS.items():
        found += _findings_in(location, place, _text_of(record, location))
    if attachments is None:
        attachments = record.attachments.all() if record.pk else []
    for attachment in attachments:
        found += _findings_in(
            f"attachment:{attachment.pk}",
            f"附件“{attachment.original_name}”",
            attachment.extracted_text,
        )
    return found


# ---------------------------------------------------------------- decisions

Decisions = dict[str, tuple[Disposition, str]]


def stored_decisions(record, findings: list[ReviewFinding]) -> Decisions:
    """The decisions already on the record that still apply to ``findings`` (by value)."""
    stored = {
        (e["location"], e["kind"], e["digest"]): (Disposition(e["decision"]), e.get("reason", ""))
        for e in record.pii_dispositions or []
        if e.get("digest")
    }
    return {f.key: stored[f.match] for f in findings if f.match in stored}


def check_decisions(findings: list[ReviewFinding], decisions: Decisions) -> list[str]:
    """The problems with ``decisions``: a keep without a reason names the finding."""
    problems = []
    for f in findings:
        disposition, reason = decisions.get(f.key, (None, ""))
        if disposition is Disposition.KEEP and not reason.strip():
            problems.append(f"保留{f.place}中的{f.kind_label}“{f.masked}”须说明理由。")
    return problems


def undecided(findings: list[ReviewFinding], decisions: Decisions) -> list[ReviewFinding]:
    return [f for f in findings if f.key not in decisions]


def blocking_attachments(findings: list[ReviewFinding], decisions: Decisions) -> dict[str, int]:
    """``{附件“…”: n}``: attachments with findings to mask, which must be replaced first."""
    blocking: dict[str, int] = {}
    for f in findings:
        if f.in_attachment and decisions.get(f.key, (None, ""))[0] is Disposition.MASK:
            blocking[f.place] = blocking.get(f.place, 0) + 1
    return blocking


def apply_masks(record, findings: list[ReviewFinding], decisions: Decisions) -> list[str]:
    """Mask the findings decided MASK in title, summary and body; the fields changed."""
    changed = []
    for location in TEXT_FIELDS:
        to_mask = [
            f.finding
            for f in findings
            if f.location == location and decisions.get(f.key, (None, ""))[0] is Disposition.MASK
        ]
        if not to_mask:
            continue
        value = getattr(record, location)
        masked = mask_html(value, to_mask) if location == "body" else pii.mask(value, to_mask)
        setattr(record, location, masked)
        changed.append(location)
    return changed


def entries(
    findings: list[ReviewFinding], decisions: Decisions, *, reviewer, at: str
) -> list[dict[str, Any]]:
    """The stored form of the decisions on ``findings`` (no unmasked value, no hash of one)."""
    rows = []
    for f in findings:
        if f.key not in decisions:
            continue
        disposition, reason = decisions[f.key]
        row = {
            "finding": f"{f.location}/{f.finding.kind.value}:{f.finding.start}",
            "location": f.location,
            "place": f.place,
            "kind": f.finding.kind.value,
            "kind_label": f.kind_label,
            "masked": f.masked,
            "decision": disposition.value,
            "reason": reason.strip() if disposition is Disposition.KEEP else "",
            "reviewer_id": getattr(reviewer, "pk", None),
            "reviewer": str(reviewer) if reviewer is not None else "系统",
            "at": at,
        }
        # A kept value is published; an attachment still holds its value until replaced.
        if disposition is Disposition.KEEP or f.in_attachment:
            row["digest"] = _digest(f.finding.text)
        rows.append(row)
    return rows


def audit_entries(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` for the audit log: what was decided, never a value that was masked."""
    return [
        {k: v for k, v in row.items() if k != "digest" or row["decision"] == "keep"} for row in rows
    ]


def merge(stored: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The stored entries with ``new`` replacing any earlier decision on the same value."""
    replaced = {(r["location"], r["kind"], r.get("digest")) for r in new if r.get("digest")}
    kept = [r for r in stored if (r["location"], r["kind"], r.get("digest")) not in replaced]
    return [*kept, *new]
