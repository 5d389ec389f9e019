"""The 依申请公开 state machine: one declared map of the allowed transitions.

Every action names its transition; :func:`check_transition` refuses anything
the map does not allow, so two handlers acting at once cannot both succeed
(the second one sees the status the first one left behind, under a row lock).
"""

from zwgk.disclosure_requests.choices import Status
from zwgk.utils.statemachine import StateMachine

S = Status
OPEN = frozenset(s for s in Status if s is not Status.CLOSED)

# action → (statuses it may start from, status it leaves behind; None: unchanged)
TRANSITIONS: dict[str, tuple[frozenset[Status], Status | None]] = {
    "confirm_receipt": (frozenset({S.AWAITING_CONFIRMATION}), S.IN_PROGRESS),
    "assign": (OPEN, None),
    "add_note": (frozenset(Status), None),
    "request_supplement": (frozenset({S.IN_PROGRESS}), S.AWAITING_SUPPLEMENT),
    "receive_supplement": (frozenset({S.AWAITING_SUPPLEMENT}), S.IN_PROGRESS),
    "close_no_supplement": (frozenset({S.AWAITING_SUPPLEMENT}), S.CLOSED),
    "start_consultation": (frozenset({S.IN_PROGRESS, S.CONSULTING}), S.CONSULTING),
    "end_consultation": (frozenset({S.CONSULTING}), None),  # IN_PROGRESS once all are closed
    "extend": (frozenset({S.IN_PROGRESS, S.CONSULTING}), None),
    "request_reasons": (frozenset({S.IN_PROGRESS}), S.AWAITING_REASONS),
    "defer_deadline": (frozenset({S.AWAITING_REASONS}), S.IN_PROGRESS),
    "notify_fee": (frozenset({S.IN_PROGRESS}), S.AWAITING_PAYMENT),
    "record_payment": (frozenset({S.AWAITING_PAYMENT}), S.IN_PROGRESS),
    "close_unpaid": (frozenset({S.AWAITING_PAYMENT}), S.CLOSED),
    "reply": (frozenset({S.IN_PROGRESS, S.AWAITING_REASONS}), S.CLOSED),
    "withdraw": (OPEN, S.CLOSED),
    "transfer": (frozenset({S.AWAITING_CONFIRMATION, S.IN_PROGRESS}), S.CLOSED),
    "mark_proactive": (frozenset({S.CLOSED}), None),
}


MACHINE = StateMachine(Status, TRANSITIONS, noun="申请")
check_transition = MACHINE.check
allowed_actions = MACHINE.allowed
