from datetime import datetime, time

import factory
from django.utils import timezone

from tests.factories import AgencyFactory
from zwgk.disclosure_requests.choices import (
    ApplicantType,
    Channel,
    Delivery,
    IdentityDocument,
    ProvisionForm,
    Status,
)
from zwgk.disclosure_requests.models import DisclosureRequest


def _submitted_at(request) -> datetime:
    """09:00 local time on the receipt date, or now while there is none."""
    if request.receipt_date is None:
        return timezone.now()
    return datetime.combine(request.receipt_date, time(9), tzinfo=timezone.get_current_timezone())


class DisclosureRequestFactory(factory.django.DjangoModelFactory):
    """An application received in person today and in progress.

    Pass ``closed_on`` and ``outcome`` for a closed one (the status follows);
    ``DisclosureRequestFactory(awaiting_confirmation=True)`` for an online
    application not yet received (条例第三十一条: no receipt date).
    """

    class Meta:
        model = DisclosureRequest

    class Params:
        awaiting_confirmation = factory.Trait(
            channel=Channel.ONLINE,
            receipt_date=None,
            status=Status.AWAITING_CONFIRMATION,
        )

    tracking_code = factory.Sequence(lambda n: f"ZW{n:010d}")
    query_password = "!"  # an unusable hash
    agency = factory.SubFactory(AgencyFactory)
    channel = Channel.IN_PERSON
    receipt_date = factory.LazyFunction(timezone.localdate)
    submitted_at = factory.LazyAttribute(_submitted_at)
    closed_on = None
    outcome = ""
    status = factory.LazyAttribute(lambda o: Status.CLOSED if o.closed_on else Status.IN_PROGRESS)
    applicant_type = ApplicantType.NATURAL_PERSON
    applicant_name = factory.Sequence(lambda n: f"申请人{n}")
    id_type = IdentityDocument.RESIDENT_ID
    id_number = factory.Sequence(lambda n: f"11010119900101{n % 10000:04d}")
    phone = "13800000000"
    description = "2025年度部门预算执行情况"
    provision_form = ProvisionForm.ELECTRONIC
    delivery = Delivery.EMAIL


__all__ = ["DisclosureRequestFactory"]
