"""The JSON API at ``/api/v1/``, documented at ``/api/v1/openapi.json``."""

from ninja import NinjaAPI
from ninja.errors import ValidationError

from zwgk.audit.api import router as audit_router
from zwgk.disclosure_requests.api import router as disclosure_requests_router

api = NinjaAPI(
    title="zwgk 政务公开 API",
    version="1",
    openapi_url="/openapi.json",
    # The interactive docs page loads scripts from a CDN; the schema is enough.
    docs_url=None,
    urls_namespace="api",
)
api.add_router("/", audit_router)
api.add_router("/", disclosure_requests_router)
api.add_router("/", "zwgk.disclosure_requests.staff_api.router")
api.add_router("/", "zwgk.records.api.router")
api.add_router("/", "zwgk.search.api.router")


@api.exception_handler(ValidationError)
def invalid_request(request, exc: ValidationError):
    """Malformed input is a 422 with a Chinese message (and the details), never a 500."""
    return api.create_response(
        request, {"detail": "请求参数格式不正确，请检查后重试。", "errors": exc.errors}, status=422
    )
