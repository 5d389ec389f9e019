"""The statutory clocks of 依申请公开, as pure functions over a :class:`WorkCalendar`.

Every period is in 工作日 and counted by :mod:`zwgk.workdays.arithmetic`; the
inputs of each computation are stored with the application so that a due date
can always be explained.
"""

from dataclasses import dataclass
from datetime import date

from zwgk.workdays.arithmetic import DeadlineResult, Pause, WorkCalendar

# 条例第三十条: one complete 补正 notice within 7 working days of receipt.
SUPPLEMENT_NOTICE_DAYS = 7
# 条例第三十三条第二款: reply within 20 working days of receipt.
REPLY_DAYS = 20
# 条例第三十三条第二款: one extension, at most 20 working days, approved by the office head.
MAX_EXTENSION_DAYS = 20
# 条例第三十二条 (third party) and 第三十四条 (other agencies): answer within 15 working days.
CONSULTATION_DAYS = 15
# 国办函〔2020〕109号: the applicant pays within 20 working days of the fee notice.
FEE_PAYMENT_DAYS = 20


@dataclass(frozen=True)
class ReplyClock:
    """What the reply deadline depends on.

    ``start`` is the receipt date (条例第三十一条) or, after a 补正, the day the
    supplement was received (条例第三十条: the clock restarts).  ``pauses``
    are the consultation periods (条例第三十三条第三款: not counted) and fee
    periods, each from the day the letter went out to the answer, payment or
    expiry, both included.
    """

    start: date
    extension_days: int = 0
    pauses: tuple[Pause, ...] = ()

    def __post_init__(self) -> None:
        if not 0 <= self.extension_days <= MAX_EXTENSION_DAYS:
            raise ValueError(
                f"延长答复期限最长不得超过{MAX_EXTENSION_DAYS}个工作日（条例第三十三条）。"
            )

    def due(self, calendar: WorkCalendar, *, count_start_day: bool = False) -> DeadlineResult:
        return calendar.add_working_days(
            self.start,
            REPLY_DAYS + self.extension_days,
            pauses=self.pauses,
            count_start_day=count_start_day,
        )


def supplement_notice_due(
    receipt: date, calendar: WorkCalendar, *, count_start_day: bool = False
) -> DeadlineResult:
    """条例第三十条: the 补正 notice is due 7 working days after receipt."""
    return calendar.add_working_days(
        receipt, SUPPLEMENT_NOTICE_DAYS, count_start_day=count_start_day
    )


def consultation_due(
    sent: date, calendar: WorkCalendar, *, count_start_day: bool = False
) -> DeadlineResult:
    """条例第三十二条、第三十四条: the consulted party answers within 15 working days."""
    return calendar.add_working_days(sent, CONSULTATION_DAYS, count_start_day=count_start_day)


def fee_payment_due(
    notice: date, calendar: WorkCalendar, *, count_start_day: bool = False
) -> DeadlineResult:
    """国办函〔2020〕109号: payment is due 20 working days after the fee notice."""
    return calendar.add_working_days(notice, FEE_PAYMENT_DAYS, count_start_day=count_start_day)
