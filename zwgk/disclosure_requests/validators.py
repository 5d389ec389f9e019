"""Checks of the applicant's identity document (条例第二十九条第一款第（一）项)."""

import re

from django.core.exceptions import ValidationError

from zwgk.disclosure_requests.choices import ApplicantType, IdentityDocument
from zwgk.organizations.validators import credit_code_is_valid

# GB 11643-1999: weights of the first 17 digits, and the check character by remainder.
RESIDENT_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
RESIDENT_ID_CHECK = "10X98765432"


def resident_id_check_character(body: str) -> str:
    """The GB 11643 check character of the first 17 digits of a 公民身份号码."""
    total = sum(int(d) * w for d, w in zip(body, RESIDENT_ID_WEIGHTS, strict=True))
    return RESIDENT_ID_CHECK[total % 11]


def resident_id_is_valid(number: str) -> bool:
    """An 18-character 公民身份号码 with a valid birth date and GB 11643 check character."""
    number = number.upper()
    if not re.fullmatch(r"\d{17}[\dX]", number):
        return False
    year, month, day = int(number[6:10]), int(number[10:12]), int(number[12:14])
    if not (year >= 1900 and 1 <= month <= 12 and 1 <= day <= 31):
        return False
    return resident_id_check_character(number[:17]) == number[17]


def validate_identity(applicant_type: str, id_type: str, id_number: str) -> None:
    """Raise a ValidationError on ``id_number`` in Chinese when the document is not plausible."""
    organisation = ApplicantType(applicant_type).is_organisation
    if id_type == IdentityDocument.RESIDENT_ID and not resident_id_is_valid(id_number):
        raise ValidationError({"id_number": "居民身份证号码应为18位，且校验位正确（GB 11643）。"})
    if id_type == IdentityDocument.CREDIT_CODE:
        if not organisation:
            raise ValidationError({"id_type": "自然人请提供本人身份证件，而非统一社会信用代码。"})
        if not credit_code_is_valid(id_number):
            raise ValidationError(
                {"id_number": "统一社会信用代码应为18位，且校验位正确（GB 32100）。"}
            )
