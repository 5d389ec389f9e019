"""Whole-page caching of the public portal, invalidated by every change of public content.

A public page is the same for every anonymous visitor with the same display
preferences (大字版, 高对比度), so :func:`cache_public_page` keeps the
rendered response in Django's cache (Redis with ``ZWGK_CACHE_URL``; per
process otherwise) under a key made of the page's full URL, those
preferences and the :class:`~zwgk.portal.models.ContentGeneration`.  The
generation is read from the database on every request (one indexed
single-row read), and every change of public content increments it in the
changing transaction:

- a record that is or was published changes (publish, correct, withdraw,
  abolish, its attachments): the records actions call :func:`bump`;
- an agency, a 主题分类, a catalogue item or the site profile is saved or
  deleted: the signal handlers below.

So a cached page never outlives the content it shows; ``PORTAL_CACHE_SECONDS``
(default 600) only bounds the memory of pages nobody asks for again.  Visitors
with a session (staff who logged in) and responses that set a cookie or are
not 200 are never cached; neither are pages that depend on the moment
(search results follow the index, which is written after the commit).
"""

import hashlib
import json
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.db.models.signals import post_delete, post_save

from zwgk.portal.display import read_display
from zwgk.portal.models import SINGLETON_PK, ContentGeneration


def generation() -> int:
    value = ContentGeneration.objects.filter(pk=SINGLETON_PK).values_list("value", flat=True)
    return next(iter(value), 0)


def bump() -> None:
    """Public content changed: no page cached before this transaction is served after it."""
    if not ContentGeneration.objects.filter(pk=SINGLETON_PK).update(value=F("value") + 1):
        ContentGeneration.objects.get_or_create(pk=SINGLETON_PK, defaults={"value": 1})


def _key(request) -> str:
    display = read_display(request)  # the preferences, not the raw cookies: no key per value
    request.content_generation = generation()
    raw = "\n".join(
        [
            str(request.content_generation),
            display.text_size,
            display.contrast,
            request.get_host(),
            request.get_full_path(),
        ]
    )
    return "portal-page:" + hashlib.sha256(raw.encode()).hexdigest()


def _cacheable_request(request) -> bool:
    return request.method in ("GET", "HEAD") and settings.SESSION_COOKIE_NAME not in request.COOKIES


def _store(key: str, request):
    def store(response):
        if (
            response.status_code == 200
            and not response.cookies
            and not response.streaming
            # The page asked for a CSRF token, whose cookie the middleware sets
            # only after this: never share one visitor's token with everyone.
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        ):
            cache.set(key, response, settings.PORTAL_CACHE_SECONDS)
        return response

    return store


def cache_public_page(view):
    """Serve ``view``'s anonymous GET responses from the page cache (see the module docstring)."""

    @wraps(view)
    def cached(request, *args, **kwargs):
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        response = cache.get(key)
        if response is not None:
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.add_post_render_callback(_store(key, request))
        else:
            _store(key, request)(response)
        return response

    return cached


def remember(request, name: str, parts: dict, compute):
    """``compute()``, kept for the current content generation under ``name`` and ``parts``.

    For a costly piece that many pages share (the browse page's facet counts
    are the same on every page of a filter set, whatever the page number).
    """
    current = getattr(request, "content_generation", None)
    if current is None:
        current = request.content_generation = generation()
    raw = json.dumps([current, name, sorted(parts.items())], ensure_ascii=False)
    key = "portal-part:" + hashlib.sha256(raw.encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.PORTAL_CACHE_SECONDS)
    return value


def _bump_on_change(sender, **kwargs) -> None:
    bump()


def connect_signals() -> None:
    """Names, trees and the site profile appear on every public page (PortalConfig.ready)."""
    from zwgk.catalogue.models import CatalogueItem
    from zwgk.organizations.models import Agency
    from zwgk.portal.models import SiteProfile
    from zwgk.records.models import TopicCategory

    for model in (Agency, TopicCategory, CatalogueItem, SiteProfile):
        post_save.connect(
            _bump_on_change, sender=model, dispatch_uid=f"portal-bump-{model.__name__}"
        )
        post_delete.connect(
            _bump_on_change, sender=model, dispatch_uid=f"portal-bump-delete-{model.__name__}"
        )
