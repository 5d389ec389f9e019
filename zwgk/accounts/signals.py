"""Log-ins, log-outs and failed log-ins go to the audit log."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver

from zwgk.audit.services import record_event


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    with transaction.atomic():
        record_event("accounts.login", actor=user, obj=user, summary="登录")


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        with transaction.atomic():
            record_event("accounts.logout", actor=user, obj=user, summary="退出登录")


@receiver(user_login_failed)
def audit_login_failure(sender, credentials, request=None, **kwargs):
    # The attempted user name is kept; the password never is (Django masks it).
    with transaction.atomic():
        record_event(
            "accounts.login_failed",
            summary=f"登录失败：用户名“{credentials.get('username', '')[:150]}”",
        )
