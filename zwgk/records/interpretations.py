"""政策解读: interpretations linked to the policies they explain (rules.md §5).

"谁起草、谁解读": a policy document and its interpretation are prepared,
approved and released together (同步组织、同步审签、同步部署).  A record of kind
:attr:`~zwgk.records.choices.RecordKind.INTERPRETATION` points at the policies
it explains (``Record.interprets``; one policy may have several
interpretations in different forms).  A policy marked ``needs_interpretation``
is *missing* its interpretation until one is published.

Every function takes or returns querysets, so callers narrow them first:
``Record.objects.restrict(user)`` in the back office (a supervisor sees its
subtree), :func:`zwgk.records.public.public_records` on the portal.
"""

from django.db.models import Exists, OuterRef, QuerySet

from zwgk.records.choices import RecordKind, Status
from zwgk.records.models import Record

Links = Record.interprets.through  # from_record: the interpretation, to_record: the policy


def published_interpretation_exists() -> Exists:
    """``Exists`` of a published interpretation of the outer policy (annotate or filter)."""
    return Exists(
        Links.objects.filter(
            to_record=OuterRef("pk"),
            from_record__status=Status.PUBLISHED,
            from_record__kind=RecordKind.INTERPRETATION,
        )
    )


def missing_interpretations(queryset: QuerySet[Record] | None = None) -> QuerySet[Record]:
    """Published policies needing interpretation with no published interpretation (同步发布).

    One query when evaluated.  An unpublished (draft, scheduled) or withdrawn
    interpretation does not count, so withdrawing the only interpretation puts
    the policy back on the list.  ``queryset`` defaults to every record; pass
    ``Record.objects.restrict(user)`` for a user's scope.
    """
    queryset = Record.objects.all() if queryset is None else queryset
    return (
        queryset.filter(status=Status.PUBLISHED, kind=RecordKind.POLICY, needs_interpretation=True)
        .exclude(published_interpretation_exists())
        .select_related("agency")
        .order_by("agency__path", "published_at", "pk")
    )


def interpretations_of(record: Record) -> QuerySet[Record]:
    """The published interpretations of a policy, oldest first (for the policy's page)."""
    return (
        Record.objects.published()
        .filter(kind=RecordKind.INTERPRETATION, interprets=record)
        .order_by("published_at", "pk")
    )


def policies_of(record: Record) -> QuerySet[Record]:
    """The published policies an interpretation explains (for the interpretation's page)."""
    return (
        Record.objects.published()
        .filter(kind=RecordKind.POLICY, interpretations=record)
        .order_by("published_at", "pk")
    )
