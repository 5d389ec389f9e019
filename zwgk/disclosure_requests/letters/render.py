"""Letters of 依申请公开: from an application and an office's template to DOCX and PDF.

:func:`render_letter` picks the agency's :class:`LetterTemplate` for the kind
(else the platform default), renders it in a sandbox with plain values only,
lays the result out as a 公文-style letter (GB/T 9704: A4, 版心 156 × 225 mm,
3号仿宋 body, 2号小标宋 title) and returns both files; :func:`store_letter`
attaches them to the application.  The caller — an action — runs both inside
its transaction.

The template body is plain text: each line is a paragraph.  Nothing in it or
in the values is ever taken as HTML, so text an applicant typed is escaped in
the PDF and written literally into the DOCX.
"""

import io
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db.models import F, Q
from django.template import (
    Context,
    Engine,
    Library,
    TemplateSyntaxError,
    defaultfilters,
    defaulttags,
)
from django.template.loader import render_to_string
from django.utils import timezone

from zwgk.disclosure_requests.choices import ApplicantType, Outcome
from zwgk.disclosure_requests.fees import FeeMethod, fee_lines
from zwgk.disclosure_requests.letters.defaults import (
    DEFAULT_TEMPLATES,
    REGULATION,
    WITHHELD_FINDINGS,
)
from zwgk.disclosure_requests.letters.relief import RELIEF_RULES, relief_sentence
from zwgk.disclosure_requests.models import (
    Consultation,
    DisclosureRequest,
    Extension,
    FeeNotice,
    Letter,
    LetterKind,
    LetterTemplate,
    SupplementRequest,
)

# Letters the applicant sees on the query page; a consultation letter goes to a
# third party or another agency instead.
APPLICANT_FACING = frozenset(
    {
        LetterKind.REPLY,
        LetterKind.SUPPLEMENT,
        LetterKind.EXTENSION,
        LetterKind.FEE,
        LetterKind.REASONS,
    }
)
# Letters addressed to a third party or another agency: they never show the
# applicant's tracking code.
THIRD_PARTY_LETTERS = frozenset({LetterKind.CONSULTATION, LetterKind.DISCLOSURE_DECISION})
# The 代字 of each kind in the 文号-like reference line.
REFERENCE_CODES = {
    LetterKind.REPLY: "答",
    LetterKind.SUPPLEMENT: "补",
    LetterKind.EXTENSION: "延",
    LetterKind.CONSULTATION: "征",
    LetterKind.FEE: "费",
    LetterKind.REASONS: "说",
    LetterKind.DISCLOSURE_DECISION: "告",
}
HTML_TEMPLATE = "disclosure_requests/letters/letter.html"
# Placeholders the caller cannot override: they state the decision and the relief.
PROTECTED_KEYS = frozenset(
    {
        "agency_name",
        "legal_basis",
        "outcome",
        "outcome_code",
        "regulation",
        "relief_sentence",
        "seal_line",
        "tracking_code",
        "withholds",
    }
)

# The template language an office may use: branching, loops and filters, but
# nothing that loads other templates or libraries, reverses URLs or dumps the
# context ({% include %}, {% load %}, {% url %}, {% debug %}, {% csrf_token %}).
ALLOWED_TAGS = (
    "comment",
    "cycle",
    "filter",
    "firstof",
    "for",
    "if",
    "ifchanged",
    "now",
    "regroup",
    "resetcycle",
    "spaceless",
    "templatetag",
    "verbatim",
    "widthratio",
    "with",
)

# Characters XML 1.0 (and so DOCX) cannot hold; an applicant can still type them.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
LINE_BREAKS = re.compile(r"\s*[\r\n\u2028\u2029\x0b\x0c\x85]+\s*")
# Trailing punctuation of a clause an office types; the template adds its own.
CLAUSE_END = "。；;，,.． \t"
# Only ASCII blanks are trimmed from a paragraph: 全角空格 (U+3000) an office
# types for alignment stays.
PARAGRAPH_TRIM = " \t\r"

# Fonts.  Offices have 方正小标宋 and 仿宋_GB2312 (GB/T 9704); servers and other
# machines fall back to 宋体/仿宋 and then to Noto/Source Han (fonts-noto-cjk).
LATIN_FONT = "Times New Roman"
BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
# DOCX font table: name → the substitute Word and WPS try when it is missing.
FONT_FALLBACKS = {BODY_FONT: "仿宋", TITLE_FONT: "宋体"}
BODY_PT = 16  # 3号
TITLE_PT = 22  # 2号
LINE_PT = 28  # 22 lines of 28 characters in the 225 mm 版心
# GB/T 9704-2012 §5.2.1-5.2.2: 天头 37 mm, 订口 28 mm, 版心 156 mm × 225 mm on A4.
MARGINS_CM = {"top": 3.7, "bottom": 3.5, "left": 2.8, "right": 2.6}


class LetterError(ValueError):
    """The letter cannot be produced; the message (Chinese) says what is missing."""


@dataclass(frozen=True)
class RenderedLetter:
    """A letter ready to store: its parts as text, and the DOCX and PDF files."""

    kind: LetterKind
    title: str
    reference: str
    addressee: str
    paragraphs: tuple[str, ...]
    seal_line: str
    date_text: str
    relief_sentence: str
    html: str = field(repr=False)
    docx: bytes = field(repr=False)
    pdf: bytes = field(repr=False)

    @property
    def text(self) -> str:
        """The whole letter as plain text, one paragraph a line."""
        lines = [self.title, self.reference, f"{self.addressee}：", *self.paragraphs]
        return "\n".join([*lines, self.seal_line, self.date_text])


def chinese_date(value: date | datetime | None) -> str:
    """``2026年9月18日`` — the 公文 date form (GB/T 9704: Arabic numerals, no leading zeros)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return f"{value.year}年{value.month}月{value.day}日"


def render_letter(
    request: DisclosureRequest,
    kind: LetterKind | str,
    *,
    subject: SupplementRequest | Consultation | Extension | FeeNotice | None = None,
    context_extra: Mapping[str, Any] | None = None,
    letter_date: date | None = None,
) -> RenderedLetter:
    """Render the ``kind`` letter for ``request`` as DOCX and PDF.

    ``subject`` is the 补正 notice, consultation, extension or fee notice the
    letter is about (default: the application's latest one).  ``context_extra``
    adds what only the handler knows — the reasons, how to obtain the
    information, attachments (see ``docs/letters.md``); its values must be
    plain text, numbers, booleans, dates or lists of those.  A reply needs
    ``request.outcome`` set.

    Raises :class:`LetterError` when a required part is missing and
    :class:`~zwgk.disclosure_requests.letters.relief.ReliefError` when the
    行政复议机关 cannot be named: such a letter must not go out.
    """
    kind = LetterKind(kind)
    letter_date = letter_date or timezone.localdate()
    context = letter_context(
        request, kind, subject=subject, context_extra=context_extra, letter_date=letter_date
    )
    title_source, body_source = template_for(request.agency, kind)
    title = "".join(_paragraphs(_render(title_source, context, "标题")))
    paragraphs = _paragraphs(_render(body_source, context, "正文"))
    relief = context["relief_sentence"]
    if relief and _squash(relief) not in _squash("".join(paragraphs)):
        # An office's template may leave the sentence out, or put it in a branch
        # that did not render: the letter still must carry it (行政复议法第二十条第三款).
        paragraphs.append(relief)
    if not paragraphs:
        raise LetterError(f"“{kind.label}”模板的正文为空。")
    content = {
        "kind": kind,
        "title": title or kind.label,
        "reference": context["reference"],
        "addressee": context["addressee"],
        "paragraphs": tuple(paragraphs),
        "seal_line": context["seal_line"],
        "date_text": context["letter_date"],
        "relief_sentence": relief,
    }
    html = render_to_string(
        HTML_TEMPLATE, {**content, "agency_name": context["agency_name"], "fonts": _css_fonts()}
    )
    return RenderedLetter(
        **content, html=html, docx=_docx(content, context["agency_name"]), pdf=_pdf(html)
    )


def store_letter(
    request: DisclosureRequest, kind: LetterKind | str, rendered: RenderedLetter
) -> Letter:
    """Save ``rendered`` as a :class:`Letter` of ``request``.

    File names are random: they must not reveal the tracking code or the
    applicant, wherever the storage serves them from.
    """
    kind = LetterKind(kind)
    if rendered.kind != kind:
        raise ValueError(f"rendered letter is a {rendered.kind!r}, not a {kind!r}")
    letter = Letter(request=request, kind=kind, delivered_online=kind in APPLICANT_FACING)
    stem = f"{kind.value}-{secrets.token_hex(8)}"
    letter.docx.save(f"{stem}.docx", ContentFile(rendered.docx), save=False)
    letter.pdf.save(f"{stem}.pdf", ContentFile(rendered.pdf), save=False)
    letter.save()
    return letter


def template_for(agency, kind: LetterKind | str) -> tuple[str, str]:
    """(title, body) of the agency's template for ``kind``, else the platform default."""
    kind = LetterKind(kind)
    row = (
        LetterTemplate.objects.filter(Q(agency=agency) | Q(agency__isnull=True), kind=kind)
        .order_by(F("agency").asc(nulls_last=True))
        .values_list("title", "body")
        .first()
    )
    return tuple(row) if row else DEFAULT_TEMPLATES[kind.value]


def validate_template(kind: LetterKind | str, title: str, body: str) -> None:
    """Check an office's template before saving it (for ``LetterTemplate.clean``).

    Raises :class:`ValidationError` keyed by field: syntax errors, tags outside
    the sandbox, and a letter that must carry the relief sentence without the
    ``{{ relief_sentence }}`` placeholder.
    """
    kind = LetterKind(kind)
    errors: dict[str, list[str]] = {}
    for name, source in (("title", title), ("body", body)):
        try:
            _ENGINE.from_string(source)
        except TemplateSyntaxError as exc:
            errors.setdefault(name, []).append(f"模板语法错误：{exc}")
    if RELIEF_RULES[kind].required and "relief_sentence" not in body:
        errors.setdefault("body", []).append(
            f"“{kind.label}”必须告知救济途径，正文应包含 {{{{ relief_sentence }}}}"
            "（行政复议法第二十条、第二十三条第二款）。"
        )
    if errors:
        raise ValidationError(errors)


def letter_context(
    request: DisclosureRequest,
    kind: LetterKind | str,
    *,
    subject=None,
    context_extra: Mapping[str, Any] | None = None,
    letter_date: date | None = None,
) -> dict[str, Any]:
    """The placeholders of a ``kind`` letter: plain values only, never model instances."""
    kind = LetterKind(kind)
    agency = request.agency
    letter_date = letter_date or timezone.localdate()
    extra = _plain_extra(context_extra or {})
    organisation = request.applicant_type != ApplicantType.NATURAL_PERSON
    office_name = _clean(agency.office_name) or agency.name
    context: dict[str, Any] = {
        "regulation": REGULATION,
        "agency_name": agency.name,
        "office_name": office_name,
        "office_address": _clean(agency.office_address),
        "office_postcode": _clean(agency.office_postcode),
        "office_hours": _clean(agency.office_hours),
        "office_phone": _clean(agency.office_phone),
        "office_fax": _clean(agency.office_fax),
        "office_email": _clean(agency.office_email),
        "office_website": _clean(agency.office_website),
        "contact_line": _contact_line(agency),
        "applicant_name": _clean(request.applicant_name),
        "applicant_you": "贵单位" if organisation else "您",
        "addressee": _clean(request.applicant_name),
        "tracking_code": request.tracking_code,
        "reference": _reference(agency, kind, request, letter_date),
        "receipt_date": chinese_date(request.receipt_date),
        "submitted_date": chinese_date(request.submitted_at),
        "description": _clean(request.description),
        "provision_form": request.get_provision_form_display(),
        "delivery": request.get_delivery_display(),
        "due_date": chinese_date(request.effective_due_date),
        "deferred_due_date": chinese_date(request.deferred_due_date),
        "deferred": False,
        "outcome": "",
        "outcome_code": "",
        "legal_basis": "",
        "withholds": False,
        "withheld_label": "",
        "withheld_basis": "",
        "attachments": [],
        "letter_date": chinese_date(letter_date),
        "seal_line": f"{agency.name}（印章）",
        "relief_sentence": "",
    }
    outcome = _outcome(request, kind)
    if outcome is not None:
        context.update(
            outcome=outcome.label,
            outcome_code=outcome.value,
            legal_basis=outcome.legal_basis,
            withholds=outcome.withholds,
            withheld_label=WITHHELD_FINDINGS.get(outcome.value, ""),
        )
    context.update(_subject_context(request, kind, outcome, subject))
    context.update(extra)
    if outcome is Outcome.PARTLY:
        context.update(_withheld_part(extra))
    _check_required(kind, outcome, context)
    rule = RELIEF_RULES[kind]
    if rule.required:
        context["relief_sentence"] = relief_sentence(
            agency,
            outcome,
            partly_withheld=bool(extra.get("partly_withheld")),
            document=rule.document,
        )
    return context


# --- context helpers ---------------------------------------------------------


def _outcome(request: DisclosureRequest, kind: LetterKind) -> Outcome | None:
    if kind != LetterKind.REPLY:
        return None
    if not request.outcome:
        raise LetterError("答复书需要先确定办理结果。")
    return Outcome(request.outcome)


def _subject_context(request, kind, outcome, subject) -> dict[str, Any]:
    """The 补正, consultation, extension or fee details the letter is about."""
    context: dict[str, Any] = {}
    if kind == LetterKind.SUPPLEMENT or outcome in (Outcome.STILL_UNCLEAR, Outcome.NO_SUPPLEMENT):
        supplement = _pick(subject, SupplementRequest, lambda: _latest(request.supplements))
        if supplement is None and kind == LetterKind.SUPPLEMENT:
            raise LetterError("补正申请告知书需要补正事项和补正期限（尚无补正记录）。")
        if supplement is not None:
            context.update(
                supplement_items=_items(supplement.items),
                supplement_deadline=chinese_date(supplement.deadline),
                supplement_notice_date=chinese_date(supplement.notice_date),
            )
    if kind in (LetterKind.CONSULTATION, LetterKind.DISCLOSURE_DECISION):
        consultation = _pick(subject, Consultation, lambda: _latest(request.consultations))
        if consultation is None:
            raise LetterError(f"{kind.label}需要征求意见记录（被征求意见方）。")
        context.update(
            addressee=_clean(consultation.party),
            consultation_kind=consultation.kind,
            consultation_party=_clean(consultation.party),
            consultation_sent_date=chinese_date(consultation.sent_date),
            consultation_due_date=chinese_date(consultation.due_date),
        )
    if kind == LetterKind.EXTENSION:
        extension = _pick(subject, Extension, lambda: _one(request, "extension"))
        if extension is not None:
            context.update(
                extension_days=extension.days,
                extension_reason=_clause(extension.reason),
                extension_approved_on=chinese_date(extension.approved_on),
            )
    if kind == LetterKind.FEE or outcome is Outcome.UNPAID:
        notice = _pick(subject, FeeNotice, lambda: _one(request, "fee_notice"))
        if notice is None and kind == LetterKind.FEE:
            raise LetterError("收费通知书需要收费记录（计收方式、数量和金额）。")
        if notice is not None:
            context.update(_fee_context(notice))
    return context


def _fee_context(notice: FeeNotice) -> dict[str, Any]:
    per_item = notice.method == FeeMethod.PER_ITEM
    unit = "件" if per_item else "页"
    lines = []
    for line in fee_lines(notice.method, notice.first_unit, notice.quantity):
        span = f"第{line.first}{unit}"
        if line.last != line.first:
            span = f"第{line.first}至{line.last}{unit}"
        if per_item:
            span = f"本自然月内{span}申请"
        if line.unit_price:
            lines.append(
                f"{span}：每{unit}{_yuan(line.unit_price)}元，共{line.count}{unit}，"
                f"计{_yuan(line.amount)}元"
            )
        else:
            lines.append(f"{span}：免费")
    return {
        "fee_method": FeeMethod(notice.method).label,
        "fee_quantity": notice.quantity,
        "fee_lines": lines,
        "fee_amount": _yuan(notice.amount),
        "fee_notice_date": chinese_date(notice.notice_date),
        "fee_pay_by": chinese_date(notice.pay_by),
    }


def _withheld_part(extra: Mapping[str, Any]) -> dict[str, Any]:
    """部分公开: the reason and basis of the withheld part (条例第三十七条: 说明理由)."""
    code = extra.get("withheld_outcome")
    if not code:
        return {"withheld_label": extra.get("withheld_label", "")}
    try:
        withheld = Outcome(code)
    except ValueError:
        raise LetterError(f"不予公开部分的理由“{code}”不是有效的办理结果。") from None
    if not withheld.withholds or withheld is Outcome.PARTLY:
        raise LetterError(f"“{withheld.label}”不是不予公开的理由。")
    return {
        "withheld_label": WITHHELD_FINDINGS.get(withheld.value, ""),
        "withheld_basis": extra.get("withheld_basis") or withheld.legal_basis,
    }


def _check_required(kind: LetterKind, outcome: Outcome | None, context: Mapping) -> None:
    """Parts the law requires that only the handler can supply."""
    if outcome is Outcome.PARTLY and not (context.get("withheld_label") or context.get("reason")):
        raise LetterError(
            "部分公开的答复必须说明不予公开部分的理由（条例第三十七条）："
            "请填写 reason 或 withheld_outcome。"
        )
    if outcome is Outcome.NOT_HELD and context.get("not_ours") and not context.get("reason"):
        raise LetterError("告知不属于本机关负责公开的，必须说明理由（条例第三十六条第（五）项）。")
    if outcome is Outcome.OTHER and not context.get("reason"):
        raise LetterError("“其他处理”的答复必须写明处理情况（reason）。")
    if kind == LetterKind.DISCLOSURE_DECISION and not context.get("reason"):
        raise LetterError("决定公开第三方不同意公开的信息，必须书面说明理由（条例第三十二条）。")
    if kind == LetterKind.EXTENSION:
        if context.get("deferred") and not context["deferred_due_date"]:
            raise LetterError("延迟答复告知书需要延迟答复期限（条例第三十五条）。")
        if not context.get("deferred") and not context.get("extension_days"):
            raise LetterError("延长答复期限告知书需要延长记录（条例第三十三条第二款）。")


def _pick(subject, model, default):
    if subject is None:
        return default()
    if not isinstance(subject, model):
        raise TypeError(f"subject must be a {model.__name__}, not {type(subject).__name__}")
    return subject


def _latest(manager):
    field_name = "notice_date" if manager.model is SupplementRequest else "sent_date"
    return manager.order_by(f"-{field_name}", "-pk").first()


def _one(request, related: str):
    try:
        return getattr(request, related)
    except (Extension.DoesNotExist, FeeNotice.DoesNotExist):
        return None


def _items(items) -> list[str]:
    """补正事项 as stored (a list of strings, or of {"text": …}), one line each."""
    if isinstance(items, str):
        items = [items]
    result = []
    for item in items or ():
        if isinstance(item, dict):
            item = item.get("text") or item.get("item") or ""
        text = str(item)
        if _clean(text):
            result.append(_clause(text))
    return result


def _plain_extra(extra: Mapping[str, Any]) -> dict[str, Any]:
    """``context_extra`` with dates in Chinese form and text cleaned; anything else refused.

    A template sees only plain values, so an office's template can reach
    nothing the caller did not mean to hand it.
    """
    plain: dict[str, Any] = {}
    for key, value in extra.items():
        if key in PROTECTED_KEYS:
            raise ValueError(f"context_extra cannot set {key!r}")
        if isinstance(value, list | tuple):
            plain[key] = [_plain_value(key, item) for item in value]
        else:
            plain[key] = _plain_value(key, value)
    return plain


def _plain_value(key: str, value: Any) -> Any:
    if value is None or isinstance(value, bool | int | Decimal):
        return value
    if isinstance(value, date):
        return chinese_date(value)
    if isinstance(value, str):
        return _clause(value)
    raise TypeError(f"context_extra[{key!r}] must be plain text, a number or a date")


def _clean(text: str) -> str:
    """One line of XML-safe text: line breaks become a space."""
    return LINE_BREAKS.sub(" ", XML_ILLEGAL.sub("", text or "")).strip()


def _clause(text: str) -> str:
    return _clean(text).rstrip(CLAUSE_END)


def _yuan(amount: Decimal) -> str:
    amount = Decimal(amount)
    return f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"


def _contact_line(agency) -> str:
    parts = [
        ("联系电话", agency.office_phone),
        ("传真", agency.office_fax),
        ("电子邮箱", agency.office_email),
        ("通信地址", agency.office_address),
        ("邮政编码", agency.office_postcode),
    ]
    return "；".join(f"{label}：{_clean(value)}" for label, value in parts if _clean(value))


def _reference(agency, kind: LetterKind, request: DisclosureRequest, letter_date: date) -> str:
    """A 文号-like line: 机关代字 + 依申公开 + kind, 〔year〕, the tracking code.

    A consultation letter goes to a third party, who gets the application's
    internal number instead: the 查询码 is half of the applicant's credentials.
    """
    prefix = agency.short_name or agency.name
    number = request.pk if kind in THIRD_PARTY_LETTERS else request.tracking_code
    return f"{prefix}依申公开{REFERENCE_CODES[kind]}〔{letter_date.year}〕{number}号"


# --- the sandbox ---------------------------------------------------------------


def _sandbox_engine() -> Engine:
    library = Library()
    library.filters.update(defaultfilters.register.filters)
    library.tags.update({name: defaulttags.register.tags[name] for name in ALLOWED_TAGS})
    engine = Engine(autoescape=False, libraries={}, builtins=[], string_if_invalid="")
    engine.template_builtins = [library]
    return engine


_ENGINE = _sandbox_engine()


def _render(source: str, context: Mapping[str, Any], part: str) -> str:
    try:
        template = _ENGINE.from_string(source)
    except TemplateSyntaxError as exc:
        raise LetterError(f"文书模板{part}有语法错误：{exc}") from exc
    # A plain Context: no context processors, no request, no user, no settings.
    return template.render(Context(dict(context), autoescape=False))


def _paragraphs(text: str) -> list[str]:
    lines = (XML_ILLEGAL.sub("", line).strip(PARAGRAPH_TRIM) for line in text.split("\n"))
    return [line for line in lines if line.strip()]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --- DOCX ----------------------------------------------------------------------


def _docx(content: Mapping[str, Any], agency_name: str) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Cm, Pt

    document = Document()
    _docx_defaults(document)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = Cm(MARGINS_CM["top"])
    section.bottom_margin = Cm(MARGINS_CM["bottom"])
    section.left_margin = Cm(MARGINS_CM["left"])
    section.right_margin = Cm(MARGINS_CM["right"])

    def paragraph(text: str, *, align=None, indent: bool = False, right_indent: bool = False):
        p = document.add_paragraph()
        if align is not None:
            p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
        if right_indent:
            p.paragraph_format.right_indent = Pt(BODY_PT * 2)
        _run(p, text, BODY_FONT, BODY_PT)
        return p

    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    title.paragraph_format.line_spacing = Pt(TITLE_PT + 14)
    title.paragraph_format.space_after = Pt(LINE_PT / 2)
    _run(title, content["title"], TITLE_FONT, TITLE_PT)
    paragraph(content["reference"], align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph("")
    paragraph(f"{content['addressee']}：")
    for text in content["paragraphs"]:
        paragraph(text, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True)
    paragraph("")
    paragraph(content["seal_line"], align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=True)
    paragraph(content["date_text"], align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=True)

    properties = document.core_properties
    properties.title = content["title"]
    properties.author = agency_name
    properties.last_modified_by = agency_name
    properties.comments = ""
    properties.keywords = ""
    properties.subject = ""
    properties.created = properties.modified = timezone.now().replace(tzinfo=None)
    properties.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _run(paragraph, text: str, east_asian_font: str, size: int) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run = paragraph.add_run(text)
    run.font.name = LATIN_FONT
    run.font.size = Pt(size)
    # Word takes Chinese glyphs from w:eastAsia, which python-docx's font.name leaves
    # alone; the hint sends characters shared with Latin text (“ ” — …) there too,
    # so that they are set full-width.
    r_fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    r_fonts.set(qn("w:eastAsia"), east_asian_font)
    r_fonts.set(qn("w:hint"), "eastAsia")


def _docx_defaults(document) -> None:
    """Chinese defaults: 仿宋 3号, fixed 28 pt lines, zh-CN, fonts with fallbacks."""
    from docx.enum.text import WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Pt
    from lxml import etree

    styles = document.styles.element
    r_fonts = styles.find(qn("w:docDefaults")).find(".//" + qn("w:rFonts"))
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        r_fonts.attrib.pop(qn(theme), None)
    r_fonts.set(qn("w:ascii"), LATIN_FONT)
    r_fonts.set(qn("w:hAnsi"), LATIN_FONT)
    r_fonts.set(qn("w:eastAsia"), BODY_FONT)
    lang = styles.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")

    normal = document.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = Pt(BODY_PT)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    fmt = normal.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(LINE_PT)

    # The font table names a substitute for each Chinese font (w:altName), so a
    # machine without 方正小标宋 or 仿宋_GB2312 shows 宋体 or 仿宋 instead.
    part = next(
        rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("/fontTable")
    )
    root = etree.fromstring(part.blob)
    for name, alternative in FONT_FALLBACKS.items():
        font = etree.SubElement(root, qn("w:font"), {qn("w:name"): name})
        etree.SubElement(font, qn("w:altName"), {qn("w:val"): alternative})
        etree.SubElement(font, qn("w:charset"), {qn("w:val"): "86"})  # GB2312
        etree.SubElement(font, qn("w:family"), {qn("w:val"): "roman"})
        etree.SubElement(font, qn("w:pitch"), {qn("w:val"): "variable"})
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


# --- PDF -----------------------------------------------------------------------


def _css_fonts() -> dict[str, str]:
    def stack(names: Iterable[str]) -> str:
        return ", ".join(f'"{name}"' for name in names) + ", serif"

    cjk = ("Noto Serif CJK SC", "Source Han Serif SC", "Noto Sans CJK SC")
    return {
        # No Latin font first: it would take the quotation marks “” and set them half-width.
        "body": stack((BODY_FONT, "FangSong_GB2312", "仿宋", "FangSong", "STFangsong", *cjk)),
        "title": stack((TITLE_FONT, "FZXiaoBiaoSong-B05S", "宋体", "SimSun", "STSong", *cjk)),
        "margins": "{top}cm {right}cm {bottom}cm {left}cm".format(**MARGINS_CM),
    }


def _pdf(html: str) -> bytes:
    from weasyprint import HTML, URLFetcher

    # The letter needs nothing from outside: refuse every URL, so that no text
    # could ever make the server fetch a file or an address.
    return HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=())).write_pdf()
