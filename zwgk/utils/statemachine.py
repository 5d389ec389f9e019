"""A declared map of allowed transitions, shared by every workflow in the project."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import models


class TransitionError(ValidationError):
    """The action is not allowed in the object's current status."""


@dataclass(frozen=True)
class StateMachine:
    """``transitions``: action → (statuses it may start from, status it leaves; None: unchanged).

    ``noun`` names the object in the Chinese refusal (“申请”, “信息”).
    """

    status: type[models.TextChoices]
    transitions: dict[str, tuple[frozenset, models.TextChoices | None]]
    noun: str

    def check(self, action: str, status: str) -> models.TextChoices:
        """The status ``action`` leaves behind; raise :class:`TransitionError` if not allowed."""
        allowed, target = self.transitions[action]
        current = self.status(status)
        if current not in allowed:
            raise TransitionError(
                f"{self.noun}当前状态为“{current.label}”，不能执行此操作"
                "（可能已被其他人处理，请刷新页面）。"
            )
        return target or current

    def allowed(self, status: str) -> list[str]:
        """The actions the current status allows, for showing only the buttons that work."""
        current = self.status(status)
        return [action for action, (starts, _) in self.transitions.items() if current in starts]
