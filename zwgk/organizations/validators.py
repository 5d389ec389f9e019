"""Check characters of Chinese organisation identifiers.

- 统一社会信用代码: GB 32100-2015, 18 characters, last one a mod-31 check.
- 组织机构代码: GB 11714-1997, 8 characters, a hyphen optional, mod-11 check.
- 行政区划代码: GB/T 2260, 6 digits; township codes extend it to 9 or 12.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def credit_check_character(body: str) -> str:
    """The GB 32100 check character of the first 17 characters of a 统一社会信用代码."""
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(body, CREDIT_WEIGHTS, strict=True))
    return CREDIT_ALPHABET[(31 - total % 31) % 31]


def credit_code_is_valid(code: str) -> bool:
    code = code.upper()
    if len(code) != 18 or any(ch not in CREDIT_ALPHABET for ch in code):
        return False
    return credit_check_character(code[:17]) == code[17]


def org_code_is_valid(code: str) -> bool:
    code = code.upper().replace("-", "")
    if not re.fullmatch(r"[0-9A-Z]{8}[0-9X]", code):
        return False
    total = sum(ORG_ALPHABET.index(ch) * w for ch, w in zip(code, ORG_WEIGHTS, strict=False))
    check = 11 - total % 11
    expected = {10: "X", 11: "0"}.get(check, str(check))
    return code[8] == expected


def validate_credit_code(value: str) -> None:
    if value and not credit_code_is_valid(value):
        raise ValidationError(_("统一社会信用代码格式或校验位不正确（GB 32100）。"))


def validate_org_code(value: str) -> None:
    if value and not org_code_is_valid(value):
        raise ValidationError(_("组织机构代码格式或校验位不正确（GB 11714）。"))


def validate_division_code(value: str) -> None:
    if value and not re.fullmatch(r"\d{6}(\d{3}(\d{3})?)?", value):
        raise ValidationError(_("行政区划代码应为6位数字（乡镇级为9位或12位）。"))
