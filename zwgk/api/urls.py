"""The JSON API at ``/api/v1/``, documented at ``/api/v1/openapi.json``."""

from ninja import NinjaAPI

from zwgk.audit.api import router as audit_router

api = NinjaAPI(
    title="zwgk 政务公开 API",
    version="1",
    openapi_url="/openapi.json",
    # The interactive docs page loads scripts from a CDN; the schema is enough.
    docs_url=None,
    urls_namespace="api",
)
api.add_router("/", audit_router)
