"""The 主动公开 publishing workflow: one declared map of the allowed transitions.

    草稿 ──submit──▶ 待保密审查 ──secrecy_review──▶ 待审签 ──approve──▶ 已发布
    待审签 ──schedule──▶ 定时待发布 ──publish_scheduled──▶ 已发布
    已发布 ──withdraw──▶ 已撤回 ──republish──▶ 已发布
    待保密审查 / 待审签 / 定时待发布 ──return──▶ 草稿

Every action in :mod:`zwgk.records.actions` names its transition and calls
:func:`check_transition` under a row lock, so a second reviewer acting on a
stale page sees the status the first one left behind and is refused.
"""

from zwgk.accounts.choices import Role
from zwgk.records.choices import Status
from zwgk.utils.statemachine import StateMachine

S = Status

# action → (statuses it may start from, status it leaves behind; None: unchanged)
TRANSITIONS: dict[str, tuple[frozenset[Status], Status | None]] = {
    "update": (frozenset({S.DRAFT}), None),
    "submit": (frozenset({S.DRAFT}), S.SECRECY_REVIEW),
    "secrecy_review": (frozenset({S.SECRECY_REVIEW}), S.AWAITING_APPROVAL),
    "mask_pii": (frozenset({S.SECRECY_REVIEW}), None),
    "return": (frozenset({S.SECRECY_REVIEW, S.AWAITING_APPROVAL, S.SCHEDULED}), S.DRAFT),
    "approve": (frozenset({S.AWAITING_APPROVAL}), S.PUBLISHED),
    "schedule": (frozenset({S.AWAITING_APPROVAL}), S.SCHEDULED),
    "publish_scheduled": (frozenset({S.SCHEDULED}), S.PUBLISHED),
    "correct": (frozenset({S.PUBLISHED}), None),
    "withdraw": (frozenset({S.PUBLISHED, S.SCHEDULED}), S.WITHDRAWN),
    "republish": (frozenset({S.WITHDRAWN}), S.PUBLISHED),
    "mark_abolished": (frozenset({S.PUBLISHED}), None),
}

# Who may take each step (系统管理员 of an ancestor agency and superusers always may).
DRAFTING_ROLES = (Role.EDITOR,)
SECRECY_ROLES = (Role.REVIEWER,)
SIGNING_ROLES = (Role.REVIEWER, Role.OFFICE_HEAD)
ROLES: dict[str, tuple[str, ...]] = {
    "update": DRAFTING_ROLES,
    "submit": DRAFTING_ROLES,
    "secrecy_review": SECRECY_ROLES,
    "mask_pii": SECRECY_ROLES,
    "return": SIGNING_ROLES,
    "approve": SIGNING_ROLES,
    "schedule": SIGNING_ROLES,
    "publish_scheduled": SIGNING_ROLES,
    "correct": SIGNING_ROLES,
    "withdraw": SIGNING_ROLES,
    "republish": SIGNING_ROLES,
    "mark_abolished": SIGNING_ROLES,
}
# Four eyes: the drafter may not check or sign off their own record.
NOT_BY_DRAFTER = frozenset({"secrecy_review", "mask_pii", "approve", "schedule"})


MACHINE = StateMachine(Status, TRANSITIONS, noun="信息")
check_transition = MACHINE.check
allowed_actions = MACHINE.allowed
