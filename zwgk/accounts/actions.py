"""State changes of staff accounts, roles and API tokens.

Each action checks permission, runs in one transaction and writes its audit
event there (style: Zulip's ``do_*`` actions).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from zwgk.accounts.choices import Role
from zwgk.accounts.models import ApiToken, Membership, User
from zwgk.accounts.permissions import forget_memberships, require_role
from zwgk.audit.services import diff, record_event, snapshot

USER_AUDITED_FIELDS = [
    "username",
    "full_name",
    "email",
    "phone",
    "is_active",
    "is_staff",
    "is_superuser",
]


def _require_superuser(acting_user) -> None:
    # acting_user None: the operator at the command line.
    if acting_user is not None and not acting_user.is_superuser:
        raise PermissionDenied("只有系统管理员可以管理工作人员账号。")


def do_save_user(user: User, *, acting_user) -> User:
    """Create or update a staff account (the password is never written to the log)."""
    _require_superuser(acting_user)
    with transaction.atomic():
        stored = User.objects.select_for_update().filter(pk=user.pk).first() if user.pk else None
        before = snapshot(stored, USER_AUDITED_FIELDS) if stored else {}
        user.save()
        changes = diff(before, snapshot(user, USER_AUDITED_FIELDS))
        if stored is not None and stored.password != user.password:
            changes["password"] = ["（已隐藏）", "（已修改）"]
        if stored is None or changes:
            record_event(
                "accounts.update_user" if stored else "accounts.create_user",
                actor=acting_user,
                obj=user,
                summary=f"{'修改' if stored else '新建'}工作人员账号“{user.username}”",
                changes=changes,
            )
    return user


def do_grant_role(user: User, agency, role: str, *, acting_user) -> Membership:
    """Give ``user`` ``role`` in ``agency``; 系统管理员 of the agency's subtree may do it."""
    if acting_user is not None:
        require_role(acting_user, agency, [Role.ADMIN])
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(user=user, agency=agency, role=role)
        if not created:
            raise ValidationError(f"{user}已经是{agency}的{Role(role).label}。")
        forget_memberships(user)
        if not user.is_staff:
            # Any role needs the back office.
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        record_event(
            "accounts.grant_role",
            actor=acting_user,
            agency=agency,
            obj=membership,
            summary=f"授予{user}“{Role(role).label}”角色",
            changes={"role": [None, role], "user": [None, user.username]},
        )
    return membership


def do_revoke_role(membership: Membership, *, acting_user) -> None:
    if acting_user is not None:
        require_role(acting_user, membership.agency, [Role.ADMIN])
    with transaction.atomic():
        record_event(
            "accounts.revoke_role",
            actor=acting_user,
            agency=membership.agency,
            obj=membership,
            summary=f"撤销{membership.user}的“{membership.get_role_display()}”角色",
            changes={"role": [membership.role, None], "user": [membership.user.username, None]},
        )
        membership.delete()
        forget_memberships(membership.user)


def do_create_api_token(user: User, *, name: str = "", acting_user) -> tuple[ApiToken, str]:
    """Issue a token; the raw value is returned once and never stored."""
    _require_superuser(acting_user)
    if not user.is_active:
        raise ValidationError(f"账号“{user.username}”已停用，不能签发接口令牌。")
    raw = ApiToken.generate()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, digest=ApiToken.hash(raw), prefix=raw[5:13]
        )
        record_event(
            "accounts.create_api_token",
            actor=acting_user,
            obj=token,
            summary=f"为{user.username}签发接口令牌 {token.prefix}…",
        )
    return token, raw


def do_revoke_api_token(token: ApiToken, *, acting_user) -> None:
    _require_superuser(acting_user)
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            return
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_event(
            "accounts.revoke_api_token",
            actor=acting_user,
            obj=token,
            summary=f"吊销接口令牌 {token.prefix}…",
        )
