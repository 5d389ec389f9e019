"""Letters of 依申请公开: the 救济途径 sentence, default templates, DOCX and PDF.

``render_letter`` and ``store_letter`` are what the actions call; the heavy
libraries (python-docx, WeasyPrint) load only when a letter is rendered.
"""

from zwgk.disclosure_requests.letters.relief import (
    RELIEF_RULES,
    ReliefError,
    needs_relief,
    relief_sentence,
)
from zwgk.disclosure_requests.letters.render import (
    APPLICANT_FACING,
    LetterError,
    RenderedLetter,
    chinese_date,
    letter_context,
    render_letter,
    store_letter,
    template_for,
    validate_template,
)

__all__ = [
    "APPLICANT_FACING",
    "RELIEF_RULES",
    "LetterError",
    "ReliefError",
    "RenderedLetter",
    "chinese_date",
    "letter_context",
    "needs_relief",
    "relief_sentence",
    "render_letter",
    "store_letter",
    "template_for",
    "validate_template",
]
