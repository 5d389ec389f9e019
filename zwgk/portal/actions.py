"""State changes of the public site's configuration (style: Zulip's ``do_*`` actions).

``acting_user=None`` is the operator at the command line.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from zwgk.audit.services import diff, record_event, snapshot
from zwgk.portal.models import SINGLETON_PK, SiteProfile

AUDITED_FIELDS = [
    "name",
    "owner_id",
    "icp_record",
    "public_security_record",
    "site_code",
    "footer_note",
]


def do_update_site_profile(profile: SiteProfile, *, acting_user) -> dict[str, list[Any]]:
    """Validate and save the site profile; only a superuser (平台系统管理员) may.

    Returns the changed fields (``{field: [old, new]}``), which the audit event records.
    """
    with transaction.atomic():
        if acting_user is not None and not (acting_user.is_active and acting_user.is_superuser):
            raise PermissionDenied("只有平台系统管理员可以修改网站基本信息。")
        before = SiteProfile.objects.select_for_update().filter(pk=SINGLETON_PK).first()
        changes = diff(
            snapshot(before or SiteProfile(), AUDITED_FIELDS), snapshot(profile, AUDITED_FIELDS)
        )
        profile.full_clean()
        profile.save()
        if changes:
            record_event(
                "portal.update_site_profile",
                actor=acting_user,
                agency=profile.owner,
                obj=profile,
                summary="新建网站基本信息。" if before is None else "修改网站基本信息。",
                changes=changes,
            )
    return changes
