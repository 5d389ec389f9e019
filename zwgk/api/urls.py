"""The JSON API at ``/api/v1/``, documented at ``/api/v1/openapi.json``."""

from ninja import NinjaAPI

api = NinjaAPI(
    title="zwgk 政务公开 API",
    version="1",
    openapi_url="/openapi.json",
    docs_url="/docs",
    urls_namespace="api",
)
