"""Backends for the contract tests: each a fresh, empty index.

A backend joins the contract by a fixture branch here; one that needs a
server it cannot have is skipped with the reason.  ``opensearch`` runs on
the in-memory fake (tests/search/fake_opensearch.py); ``opensearch-live``
runs the same tests on the cluster at ``ZWGK_OPENSEARCH_URL``, each in an
index of its own that is deleted afterwards.
"""

import os
import uuid

import pytest
from opensearchpy import OpenSearch

from tests.records.conftest import draft, published, rworld, topic  # noqa: F401 (fixtures)
from tests.search.fake_opensearch import FakeOpenSearch
from zwgk.search.backends import make_backend
from zwgk.search.backends.opensearch import OpenSearchBackend

BACKENDS = ["sqlite", "postgres", "tantivy", "opensearch", "opensearch-live"]


def live_opensearch() -> OpenSearchBackend:
    """A backend on the live cluster in an index no one else uses; skips without one."""
    url = os.environ.get("ZWGK_OPENSEARCH_URL")
    if not url:
        pytest.skip("the live OpenSearch tests need ZWGK_OPENSEARCH_URL=http://…")
    return OpenSearchBackend(OpenSearch(hosts=[url]), f"zwgk-test-{uuid.uuid4().hex}")


@pytest.fixture(params=BACKENDS)
def backend(request, settings, tmp_path, db):
    name = request.param
    if name == "postgres" and not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        pytest.skip("the postgres backend needs ZWGK_DATABASE_URL=postgresql://…")
    settings.SEARCH_PATH = tmp_path
    if name == "opensearch":
        backend = OpenSearchBackend(FakeOpenSearch())
    elif name == "opensearch-live":
        backend = live_opensearch()
    else:
        backend = make_backend(name)
    backend.clear()
    yield backend
    if name == "opensearch-live":
        backend.client.indices.delete(index=backend.index_name, ignore_unavailable=True)
    backend.close()


@pytest.fixture(params=["configured", "tantivy"])
def index(request, settings, tmp_path, db):
    """The backend the site uses, empty, in a folder of its own: the configured default
    (sqlite, or postgres on PostgreSQL), then tantivy chosen by the setting."""
    from zwgk.search.backends import get_backend

    if request.param != "configured":
        settings.SEARCH_BACKEND = request.param
    settings.SEARCH_PATH = tmp_path
    backend = get_backend()
    backend.clear()
    yield backend
    backend.close()
