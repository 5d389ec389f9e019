"""The search backends, chosen by ``ZWGK_SEARCH_BACKEND`` (docs/search.md)."""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from zwgk.search.backends.base import SearchBackend

BACKENDS = {
    "sqlite": "zwgk.search.backends.sqlite.SQLiteBackend",
    "postgres": "zwgk.search.backends.postgres.PostgresBackend",
    "tantivy": "zwgk.search.backends.tantivy.TantivyBackend",
    "opensearch": "zwgk.search.backends.opensearch.OpenSearchBackend",
}


def make_backend(name: str) -> SearchBackend:
    """A new backend object of that name, configured from the settings."""
    if name not in BACKENDS:
        raise ValueError(f"未知的检索后端“{name}”，可选：{'、'.join(BACKENDS)}。")
    return import_string(BACKENDS[name]).from_settings(settings)


@cache
def _cached(name: str, path: str, url: str) -> SearchBackend:
    return make_backend(name)


def get_backend() -> SearchBackend:
    """The configured backend, one object per process (and per setting, for tests)."""
    return _cached(settings.SEARCH_BACKEND, str(settings.SEARCH_PATH), settings.OPENSEARCH_URL)
