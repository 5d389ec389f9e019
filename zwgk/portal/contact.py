"""The 政府信息公开工作机构 contact data an agency publishes (条例第十二条)."""

import re
from dataclasses import dataclass

from zwgk.organizations.models import OFFICE_CONTACT_FIELDS, Agency

# One dialable number; a field listing several numbers gets no tel: link.
SINGLE_PHONE = re.compile(r"^\+?[\d\s()-]{5,20}$")


@dataclass(frozen=True)
class ContactItem:
    label: str
    value: str
    href: str = ""


def office_contact(agency: Agency | None) -> list[ContactItem]:
    """The agency's filled-in disclosure-office fields, with links where one makes sense."""
    if agency is None:
        return []
    items = []
    for name in OFFICE_CONTACT_FIELDS:
        value = getattr(agency, name).strip()
        if value:
            label = str(Agency._meta.get_field(name).verbose_name)
            items.append(ContactItem(label, value, _href(name, value)))
    return items


def _href(field: str, value: str) -> str:
    if field == "office_email":
        return f"mailto:{value}"
    if field == "office_website":
        return value
    if field == "office_phone" and SINGLE_PHONE.match(value):
        return "tel:" + re.sub(r"[\s()-]", "", value)
    return ""
