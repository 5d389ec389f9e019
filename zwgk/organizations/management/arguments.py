"""Command-line arguments that name an agency."""

from django.core.management.base import CommandError
from django.db.models import Q

from zwgk.organizations.models import Agency


def agency_named(name: str) -> Agency:
    """The one agency whose 标准全称 or 简称 is ``name``; none or several fail the command."""
    matches = list(Agency.objects.filter(Q(name=name) | Q(short_name=name)))
    if len(matches) != 1:
        found = "、".join(a.name for a in matches)
        raise CommandError(f"“{name}”对应 {len(matches)} 个机关{found and '：' + found}。")
    return matches[0]
