from django.utils import timezone
from django.utils.functional import SimpleLazyObject

from zwgk.workdays.services import schedule_warnings


def calendar_warnings(request) -> dict[str, object]:
    """``calendar_warnings``: missing 节假日安排 for staff, read only when a template uses it.

    Anonymous visitors and non-staff users get an empty list and cost no query;
    staff cost one small query per request at most.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not (user.is_staff or user.is_superuser):
        return {"calendar_warnings": []}
    return {"calendar_warnings": SimpleLazyObject(lambda: _per_request(request))}


def _per_request(request) -> list[str]:
    if not hasattr(request, "_zwgk_calendar_warnings"):
        request._zwgk_calendar_warnings = schedule_warnings(timezone.localdate())
    return request._zwgk_calendar_warnings
