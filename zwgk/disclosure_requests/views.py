"""The applicant's pages: the online application form and the progress query (``/yisqgk/``).

Nothing here shows applicant data beyond the masked name; the query page
identifies the applicant by tracking code and query password only, and
keeps the application id in the session for the follow-up actions
(withdrawal, letter downloads).
"""

from weakref import WeakKeyDictionary

from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from zwgk.audit.middleware import request_ip
from zwgk.disclosure_requests import actions
from zwgk.disclosure_requests.choices import Status
from zwgk.disclosure_requests.forms import ApplicationForm, QueryForm, WithdrawForm
from zwgk.disclosure_requests.models import DisclosureRequest, Letter
from zwgk.portal import navigation
from zwgk.utils.masking import mask_name

# Session keys, namespaced to this app.
SUBMITTED_KEY = "disclosure_requests.submitted"
QUERY_KEY = "disclosure_requests.query_id"

# Rate limits (shared with the API).  The default cache is per process: several
# workers need a shared cache (Redis) for the limits to hold across them.
SUBMIT_PER_IP = (5, 3600)
SUBMIT_PER_IDENTITY = (3, 86400)
FAILED_QUERIES_PER_IP = (10, 3600)

TOO_MANY_SUBMISSIONS = "提交过于频繁，请稍后再试。如需帮助，请联系政府信息公开工作机构。"
TOO_MANY_QUERIES = "查询失败次数过多，请一小时后再试。"
QUERY_FAILED = "查询码或查询密码不正确，请核对后重新输入。"
RECEIPT_NOTE = "网上申请以双方确认之日为收到申请之日（条例第三十一条）。"

APPLY_TITLE = "在线提交政府信息公开申请"
QUERY_TITLE = "申请办理进度查询"


# ---------------------------------------------------------------- rate limits


def _limit_key(scope: str, value: str) -> str:
    return f"disclosure_requests:rl:{scope}:{value}"


# One client per Redis cache backend (per process): Django's RedisCache builds a
# new redis.Redis, with its table of several hundred reply callbacks, for every
# operation.  The client shares the backend's connection pool.
_redis_clients: WeakKeyDictionary = WeakKeyDictionary()


def _redis(backend: RedisCache):
    client = _redis_clients.get(backend)
    if client is None:
        client = _redis_clients[backend] = backend._cache.get_client(write=True)
    return client


def limit_reached(scope: str, value: str | None, limit: tuple[int, int]) -> bool:
    if not value:
        return False
    key = _limit_key(scope, value)
    backend = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(backend, RedisCache):
        # The counters are stored as plain integers (as Django's Redis cache stores ints).
        count = _redis(backend).get(backend.make_and_validate_key(key))
        return int(count or 0) >= limit[0]
    return cache.get(key, 0) >= limit[0]


def count_hit(scope: str, value: str | None, limit: tuple[int, int]) -> None:
    count_hits((scope, value, limit))


def count_hits(*hits: tuple[str, str | None, tuple[int, int]]) -> None:
    """Count one hit against each ``(scope, value, limit)``; the window starts at the first hit.

    With Redis, all of them in one round trip: per key ``SET key 0 EX window NX``
    then ``INCR key``, in one MULTI/EXEC so the key cannot expire between the
    two (an INCR on a vanished key would make a counter without expiry).
    """
    keys = [(_limit_key(scope, value), limit[1]) for scope, value, limit in hits if value]
    if not keys:
        return
    backend = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(backend, RedisCache):
        with _redis(backend).pipeline(transaction=True) as pipe:
            for key, window in keys:
                key = backend.make_and_validate_key(key)
                pipe.set(key, 0, ex=window, nx=True)
                pipe.incr(key)
            pipe.execute()
        return
    for key, window in keys:
        if not cache.add(key, 1, timeout=window):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=window)


def identity_key(id_number: str) -> str:
    return id_number.strip().upper()


# ---------------------------------------------------------------- helpers


def due_display(application: DisclosureRequest) -> str:
    """The reply deadline as the applicant should read it."""
    if application.status == Status.CLOSED:
        return "已办结"
    if application.status == Status.AWAITING_CONFIRMATION:
        return "待确认"
    due = application.effective_due_date
    if due is None:
        return "暂停计时"
    return f"{due:%Y年%m月%d日}"


def _crumbs(title: str) -> list:
    return [
        navigation.Crumb(navigation.DISCLOSURE.label, navigation.DISCLOSURE.url),
        navigation.Crumb(navigation.APPLY.label, navigation.APPLY.url),
        navigation.Crumb(title),
    ]


def _page(request, template: str, title: str, context: dict, status: int = 200):
    context = {"page_title": title, "breadcrumbs": _crumbs(title), **context}
    return render(request, f"disclosure_requests/public/{template}", context, status=status)


def _too_many(request, message: str):
    return _page(request, "too_many.html", "请稍后再试", {"message": message}, status=429)


def _queried_application(request) -> DisclosureRequest | None:
    pk = request.session.get(QUERY_KEY)
    if pk is None:
        return None
    return DisclosureRequest.objects.select_related("agency").filter(pk=pk).first()


# ---------------------------------------------------------------- application


@never_cache
@require_http_methods(["GET", "POST"])
def apply(request):
    if request.method == "GET":
        return _page(request, "apply.html", APPLY_TITLE, {"form": ApplicationForm()})
    ip = request_ip(request)
    if limit_reached("submit-ip", ip, SUBMIT_PER_IP):
        return _too_many(request, TOO_MANY_SUBMISSIONS)
    form = ApplicationForm(request.POST)
    if form.is_valid():
        identity = identity_key(form.cleaned_data["id_number"])
        if limit_reached("submit-id", identity, SUBMIT_PER_IDENTITY):
            return _too_many(request, TOO_MANY_SUBMISSIONS)
        count_hit("submit-ip", ip, SUBMIT_PER_IP)
        agency = form.cleaned_data["agency"]
        if form.is_spam:
            # Looks the same to the bot, saves nothing.
            code, password = (
                f"{timezone.localdate():%y}{actions.new_code(10)}",
                actions.new_code(actions.PASSWORD_LENGTH),
            )
        else:
            try:
                application, password = actions.do_submit_online(agency, form.application_fields())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                count_hit("submit-id", identity, SUBMIT_PER_IDENTITY)
                code = application.tracking_code
        if not form.errors:
            request.session[SUBMITTED_KEY] = {
                "tracking_code": code,
                "password": password,
                "agency": agency.name,
            }
            return HttpResponseRedirect(reverse("disclosure_requests:apply_done"))
    return _page(request, "apply.html", APPLY_TITLE, {"form": form})


@never_cache
def apply_done(request):
    """The tracking code and password, shown once (the session forgets them)."""
    submitted = request.session.pop(SUBMITTED_KEY, None)
    if submitted is None:
        return HttpResponseRedirect(reverse("disclosure_requests:query"))
    return _page(
        request,
        "apply_done.html",
        "申请已提交",
        {"submitted": submitted, "receipt_note": RECEIPT_NOTE},
    )


# ---------------------------------------------------------------- query


@never_cache
@require_http_methods(["GET", "POST"])
def query(request):
    form = QueryForm(request.POST if request.method == "POST" else None)
    failed = False
    if request.method == "POST":
        ip = request_ip(request)
        if limit_reached("query-ip", ip, FAILED_QUERIES_PER_IP):
            return _too_many(request, TOO_MANY_QUERIES)
        if form.is_valid():
            application = actions.find_for_applicant(
                form.cleaned_data["tracking_code"], form.cleaned_data["password"]
            )
            if application is not None:
                request.session.cycle_key()
                request.session[QUERY_KEY] = application.pk
                return HttpResponseRedirect(reverse("disclosure_requests:query_result"))
            count_hit("query-ip", ip, FAILED_QUERIES_PER_IP)
            failed = True
    return _page(
        request,
        "query.html",
        QUERY_TITLE,
        {"form": form, "failed": failed, "failed_message": QUERY_FAILED},
    )


@never_cache
def query_result(request):
    application = _queried_application(request)
    if application is None:
        return HttpResponseRedirect(reverse("disclosure_requests:query"))
    letters = application.letters.filter(delivered_online=True)
    return _page(
        request,
        "query_result.html",
        "申请办理进度",
        {
            "application": application,
            "masked_name": mask_name(application.applicant_name),
            "due": due_display(application),
            "events": application.events.filter(public=True),
            "letters": letters,
            "can_withdraw": application.status != Status.CLOSED,
            "receipt_note": RECEIPT_NOTE,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def withdraw(request):
    application = _queried_application(request)
    if application is None:
        return HttpResponseRedirect(reverse("disclosure_requests:query"))
    if application.status == Status.CLOSED:
        return HttpResponseRedirect(reverse("disclosure_requests:query_result"))
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_withdraw(
                application,
                withdrawn_on=timezone.localdate(),
                reason=form.cleaned_data["reason"],
                acting_user=None,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return HttpResponseRedirect(reverse("disclosure_requests:query_result"))
    return _page(
        request,
        "withdraw.html",
        "撤回申请",
        {"application": application, "form": form},
    )


@never_cache
def letter_download(request, pk: int, fmt: str):
    """A letter pushed to the applicant, only after a successful query in this session."""
    application_pk = request.session.get(QUERY_KEY)
    if application_pk is None:
        raise Http404
    letter = Letter.objects.filter(pk=pk, request_id=application_pk, delivered_online=True).first()
    if letter is None:
        raise Http404
    if fmt not in ("pdf", "docx"):
        raise Http404
    file = letter.pdf if fmt == "pdf" else letter.docx
    if not file:
        raise Http404
    filename = f"{letter.request.tracking_code}-{letter.get_kind_display()}.{fmt}"
    return FileResponse(file.open("rb"), as_attachment=True, filename=filename)
