"""The one permission layer: which agencies a user may see or act for.

Every list, detail page, export and API endpoint narrows its queryset with
:func:`restrict` (or a model manager's ``.restrict(user, action)``), so that
an agency's content is invisible to staff of another agency while a 主管部门
sees its whole subtree.

- ``view``: agencies where the user holds any role, plus the subtrees of
  agencies where the user is 主管部门 or 系统管理员.
- ``change``: agencies where the user holds a working role (信息员, 审核人,
  办理人, 负责人), plus the subtrees of agencies where the user is 系统管理员.
  A 主管部门 only reads.
- ``audit``: the subtrees of agencies where the user is 主管部门 or 系统管理员
  (the audit log is for supervision, not for the working roles).
- ``administer``: the subtrees of agencies where the user is 系统管理员
  (role grants, agency data).

A superuser is the platform's 系统管理员 and sees everything.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from zwgk.accounts.choices import Role

WORKING_ROLES = frozenset({Role.EDITOR, Role.REVIEWER, Role.HANDLER, Role.OFFICE_HEAD})
SUBTREE_ROLES = {
    "view": frozenset({Role.SUPERVISOR, Role.ADMIN}),
    "change": frozenset({Role.ADMIN}),
    "audit": frozenset({Role.SUPERVISOR, Role.ADMIN}),
    "administer": frozenset({Role.ADMIN}),
}
DIRECT_ROLES = {
    "view": frozenset(Role),
    "change": WORKING_ROLES,
    "audit": frozenset(),
    "administer": frozenset(),
}


@dataclass(frozen=True)
class Scope:
    """The agencies a user may reach for one action."""

    everything: bool
    agency_ids: frozenset[int]
    subtree_paths: tuple[str, ...]

    def q(self, agency_field: str | None) -> Q:
        """A filter on ``agency_field`` (``None``: the queryset is of agencies)."""
        if self.everything:
            return Q()
        prefix = f"{agency_field}__" if agency_field else ""
        condition = Q(**{f"{prefix}pk__in": sorted(self.agency_ids)})
        for path in self.subtree_paths:
            condition |= Q(**{f"{prefix}path__startswith": path})
        return condition

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.agency_ids or self.subtree_paths)

    def contains(self, agency) -> bool:
        return (
            self.everything
            or agency.pk in self.agency_ids
            or any(agency.path.startswith(p) for p in self.subtree_paths)
        )


NOTHING = Scope(False, frozenset(), ())


def memberships(user) -> tuple[tuple[str, int, str], ...]:
    """``(role, agency id, agency path)`` of every role of ``user``: one query per request.

    Cached on the user object (a request's ``request.user`` lives for one
    request); :func:`forget_memberships` drops the cache after a grant or
    revocation.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return ()
    if "_zwgk_memberships" not in user.__dict__:
        user.__dict__["_zwgk_memberships"] = tuple(
            user.memberships.values_list("role", "agency_id", "agency__path")
        )
    return user.__dict__["_zwgk_memberships"]


def forget_memberships(user) -> None:
    user.__dict__.pop("_zwgk_memberships", None)
    user.__dict__.pop("_zwgk_scopes", None)


def roles_anywhere(user) -> frozenset[str]:
    """The roles ``user`` holds in any agency (for showing menus and buttons)."""
    return frozenset(role for role, _, _ in memberships(user))


def user_scope(user, action: str = "view") -> Scope:
    """The scope of ``user`` for ``action``, cached on the user object per request."""
    if action not in DIRECT_ROLES:
        raise ValueError(f"unknown action {action!r}")
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if user.is_superuser:
        return Scope(True, frozenset(), ())
    cache = user.__dict__.setdefault("_zwgk_scopes", {})
    if action not in cache:
        direct, paths = set(), set()
        for role, agency_id, path in memberships(user):
            if role in SUBTREE_ROLES[action]:
                paths.add(path)
            elif role in DIRECT_ROLES[action]:
                direct.add(agency_id)
        cache[action] = Scope(False, frozenset(direct), tuple(sorted(paths)))
    return cache[action]


def restrict(
    queryset: QuerySet, user, action: str = "view", *, agency_field: str | None = "agency"
) -> QuerySet:
    """Narrow ``queryset`` to rows whose agency ``user`` may reach for ``action``."""
    scope = user_scope(user, action)
    if scope.is_empty:
        return queryset.none()
    return queryset.filter(scope.q(agency_field))


def has_role(user, agency, roles: Iterable[str]) -> bool:
    """Whether ``user`` holds one of ``roles`` in ``agency`` (系统管理员 of an ancestor counts)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    roles = set(roles)
    for role, _, path in memberships(user):
        if role == Role.ADMIN and agency.path.startswith(path):
            return True
        if role in roles and path == agency.path:
            return True
    return False


def require_role(user, agency, roles: Iterable[str]) -> None:
    """Raise :class:`PermissionDenied` with a Chinese message unless :func:`has_role`."""
    roles = list(roles)
    if not has_role(user, agency, roles):
        names = "、".join(str(Role(r).label) for r in roles)
        raise PermissionDenied(f"您没有在“{agency}”办理此事项的权限（需要角色：{names}）。")
