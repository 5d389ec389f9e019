"""Loading the demo world: idempotent, through the same actions as real data."""

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from zwgk.accounts.actions import do_grant_role, do_save_user
from zwgk.accounts.choices import Role
from zwgk.accounts.models import Membership, User
from zwgk.demo.data import AGENCIES, RECORDS, USERS, office_contact
from zwgk.organizations.actions import do_create_agency, do_update_agency
from zwgk.organizations.models import Agency
from zwgk.organizations.validators import credit_check_character
from zwgk.portal.actions import do_update_site_profile
from zwgk.portal.services import get_site_profile
from zwgk.records import actions as records
from zwgk.records.choices import RecordKind, SecrecyCheck, Validity
from zwgk.records.models import Record, TopicCategory

SITE_OWNER = "示范市人民政府"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    full_name: str
    description: str


def demo_credit_code(division_code: str, serial: int) -> str:
    """A valid but fictional 统一社会信用代码: 11 (机关), the division, a serial."""
    body = f"11{division_code[:6]}MB{serial:07d}"
    return body + credit_check_character(body)


def load_demo(password: str) -> list[DemoLogin]:
    """Create or bring up to date the demo agencies, users, roles, site profile and records."""
    with transaction.atomic():
        agencies = _load_agencies()
        logins = _load_users(password, agencies)
        _load_records(agencies)
        profile = get_site_profile()
        if profile.owner_id != agencies[SITE_OWNER].pk:
            profile.name = f"{SITE_OWNER}门户网站"
            profile.owner = agencies[SITE_OWNER]
            profile.footer_note = "本站为演示站点，所有机关、人员和数据均为虚构。"
            do_update_site_profile(profile, acting_user=None)
    return logins


def _load_agencies() -> dict[str, Agency]:
    agencies: dict[str, Agency] = {}
    for serial, (name, kind, level, parent, division, extra) in enumerate(AGENCIES, start=1):
        fields = {
            "kind": kind,
            "level": level,
            "parent": agencies.get(parent) if parent else None,
            "division_code": division,
            "credit_code": demo_credit_code(division, serial),
            "index_prefix": f"DEMO{serial:03d}",
            "sort_order": serial,
            **office_contact(name, division),
            **extra,
        }
        if "supervising_authority" in fields:
            fields["supervising_authority"] = agencies[fields["supervising_authority"]]
        existing = Agency.objects.filter(name=name).first()
        if existing is None:
            agencies[name] = do_create_agency(acting_user=None, name=name, **fields)
        else:
            do_update_agency(existing, acting_user=None, **fields)
            agencies[name] = existing
    return agencies


def _load_users(password: str, agencies: dict[str, Agency]) -> list[DemoLogin]:
    logins = []
    for username, full_name, agency_name, roles in USERS:
        user = User.objects.filter(username=username).first() or User(username=username)
        user.full_name = full_name
        user.is_active = user.is_staff = True
        user.is_superuser = agency_name is None
        if not user.check_password(password):
            user.set_password(password)
        do_save_user(user, acting_user=None)
        agency = agencies.get(agency_name)
        for role in roles:
            if not Membership.objects.filter(user=user, agency=agency, role=role).exists():
                do_grant_role(user, agency, role, acting_user=None)
        labels = "、".join(str(Role(role).label) for role in roles)
        description = f"{agency_name} {labels}" if agency_name else "超级用户"
        logins.append(DemoLogin(username, full_name, description))
    return logins


def _load_records(agencies: dict[str, Agency]) -> None:
    """Publish the demo records through the review workflow; those already there are kept."""
    topics = {t.name: t for t in TopicCategory.objects.filter(parent=None)}
    published: dict[str, Record] = {}
    for agency_name, title, docnum, written, topic, doc_type, kind, body, extra in RECORDS:
        existing = Record.objects.filter(title=title).first()
        if existing is not None:
            published[title] = existing
            continue
        fields = {
            "title": title,
            "doc_number": docnum,
            "written_on": date.fromisoformat(written),
            "topic": topics[topic],
            "doc_type": doc_type,
            "kind": kind,
            "needs_interpretation": extra.get("needs_interpretation", False),
            "interpretation_form": extra.get("form", ""),
            "author_unit": agency_name if kind == RecordKind.INTERPRETATION else "",
            "body": "".join(f"<p>{paragraph}</p>" for paragraph in body),
        }
        interprets = [published[extra["interprets"]]] if "interprets" in extra else None
        record = records.do_create_record(
            agencies[agency_name], fields, interprets=interprets, acting_user=None
        )
        record = records.do_submit_for_review(record, acting_user=None)
        record = records.do_secrecy_review(
            record, checklist={check.value: True for check in SecrecyCheck}, acting_user=None
        )
        published[title] = records.do_approve(record, acting_user=None)
    for _, title, *_, extra in RECORDS:
        record = published[title]
        if "abolished" in extra and record.validity == Validity.VALID:
            replacement = published[extra["abolished"]]
            records.do_mark_abolished(
                record,
                validity=Validity.ABOLISHED,
                on=replacement.written_on,
                replaced_by=replacement,
                acting_user=None,
            )
