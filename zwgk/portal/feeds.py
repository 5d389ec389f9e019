"""Atom feeds of newly published records: one per 发布机关, one per 主题分类.

Each lists the latest :data:`FEED_SIZE` public records (published, 主动公开),
newest first; a first-level 主题分类 includes its second levels.
"""

from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from zwgk.organizations.models import Agency
from zwgk.records import public
from zwgk.records.models import Record, TopicCategory

FEED_SIZE = 50


class RecordFeed(Feed):
    feed_type = Atom1Feed
    language = "zh-Hans"

    def items(self, obj):
        return public.listing(public.public_records().filter(self.condition(obj)))[:FEED_SIZE]

    def condition(self, obj) -> Q:  # pragma: no cover - every feed defines it
        raise NotImplementedError

    def item_title(self, item: Record) -> str:
        return item.title

    def item_description(self, item: Record) -> str:
        parts = [item.doc_number, item.summary]
        return "　".join(part for part in parts if part)

    def item_link(self, item: Record) -> str:
        return reverse("portal:record", args=[item.pk])

    def item_pubdate(self, item: Record):
        return item.published_at

    def item_updateddate(self, item: Record):
        return item.updated_at

    def item_author_name(self, item: Record) -> str:
        return item.agency.name

    def item_categories(self, item: Record):
        return [item.topic_path, item.get_doc_type_display()]


class AgencyFeed(RecordFeed):
    def get_object(self, request, pk: int):
        return get_object_or_404(Agency.objects.only("pk", "name"), pk=pk)

    def condition(self, obj: Agency) -> Q:
        return Q(agency=obj)

    def title(self, obj: Agency) -> str:
        return f"{obj.name} - 主动公开政府信息"

    def subtitle(self, obj: Agency) -> str:
        return f"{obj.name}最新发布的{FEED_SIZE}条主动公开政府信息。"

    def link(self, obj: Agency) -> str:
        return f"{reverse('portal:disclosure_statutory')}?agency={obj.pk}"


class TopicFeed(RecordFeed):
    def get_object(self, request, pk: int):
        return get_object_or_404(TopicCategory.objects.select_related("parent"), pk=pk)

    def condition(self, obj: TopicCategory) -> Q:
        return Q(topic=obj) | Q(topic__parent=obj)

    def title(self, obj: TopicCategory) -> str:
        return f"{obj} - 主动公开政府信息"

    def subtitle(self, obj: TopicCategory) -> str:
        return f"主题分类“{obj}”下最新发布的{FEED_SIZE}条主动公开政府信息。"

    def link(self, obj: TopicCategory) -> str:
        return f"{reverse('portal:disclosure_statutory')}?topic={obj.pk}"
