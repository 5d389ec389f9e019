"""The clerk's back office of 依申请公开: the list, the case page, one form per workflow step.

Nothing is edited raw: every change goes through an action in ``actions.py``
(validated, permission-checked, locked, audited), and the case page shows what
the actions recorded.  Opening a case is itself audited (个人信息保护法), and
letters are downloaded through a view that checks the user's scope, never
through a media URL.
"""

from contextlib import suppress
from datetime import date, timedelta

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from zwgk.accounts.choices import Role
from zwgk.accounts.permissions import (
    WORKING_ROLES,
    has_role,
    restrict,
    roles_anywhere,
    user_scope,
)
from zwgk.audit.services import diff, record_event, snapshot
from zwgk.backoffice.mixins import AgencyScopedAdmin
from zwgk.disclosure_requests import deadlines
from zwgk.disclosure_requests.actions import HANDLING_ROLES, record_staff_access
from zwgk.disclosure_requests.choices import Status
from zwgk.disclosure_requests.ledger import ledger_response
from zwgk.disclosure_requests.models import (
    DisclosureRequest,
    Extension,
    FeeNotice,
    LetterTemplate,
)
from zwgk.disclosure_requests.staff_forms import (
    ACTION_FORMS,
    LetterTemplateForm,
    RegisterForm,
    available_forms,
)
from zwgk.disclosure_requests.workflow import allowed_actions
from zwgk.organizations.models import Agency
from zwgk.utils.statemachine import TransitionError
from zwgk.utils.tabular import FORMATS
from zwgk.workdays.arithmetic import ScheduleUnknown
from zwgk.workdays.choices import SkipReason
from zwgk.workdays.services import get_calendar

TEMPLATES = "admin/disclosure_requests/disclosurerequest/"
# The tracking code and password of an application just registered, shown once.
REGISTERED_KEY = "disclosure_requests.registered"
# The clock stands still in these statuses (条例第三十条、第三十三条第三款, 国办函〔2020〕109号).
PAUSED_STATUSES = (Status.AWAITING_SUPPLEMENT, Status.CONSULTING, Status.AWAITING_PAYMENT)


class DeadlineFilter(admin.SimpleListFilter):
    """即将到期 / 已逾期 / 暂停计时, by the effective due date (条例第三十三条、第三十五条)."""

    title = _("答复期限")
    parameter_name = "deadline"

    def lookups(self, request, model_admin):
        return [
            ("due_soon", _("即将到期（3个工作日内）")),
            ("overdue", _("已逾期")),
            ("paused", _("暂停计时")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "due_soon":
            return deadlines.due_soon(queryset, today)
        if self.value() == "overdue":
            return deadlines.overdue(queryset, today)
        if self.value() == "paused":
            return queryset.filter(status__in=PAUSED_STATUSES)
        return queryset


class MineFilter(admin.SimpleListFilter):
    title = _("承办人")
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("1", _("只看我承办的"))]

    def queryset(self, request, queryset):
        if self.value() == "1":
            return queryset.filter(handler=request.user)
        return queryset


@admin.register(DisclosureRequest)
class DisclosureRequestAdmin(AgencyScopedAdmin):
    """政府信息公开申请: scoped list, read-only case page, one form per workflow step."""

    list_display = [
        "tracking_code",
        "agency",
        "applicant_type",
        "channel",
        "receipt_date",
        "status",
        "due",
        "handler",
    ]
    list_filter = [
        DeadlineFilter,
        MineFilter,
        "status",
        "channel",
        "applicant_type",
        ("agency", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["tracking_code", "description"]
    list_select_related = ["agency", "handler"]
    list_per_page = 50
    actions = None

    # ------------------------------------------------------------ permissions

    def get_queryset(self, request):
        return deadlines.with_effective_due(super().get_queryset(request))

    def has_add_permission(self, request):
        return request.user.is_superuser or bool(roles_anywhere(request.user) & set(HANDLING_ROLES))

    def has_change_permission(self, request, obj=None):
        return False  # the workflow fields change through the actions only

    def has_delete_permission(self, request, obj=None):
        return False

    # ------------------------------------------------------------ list

    @admin.display(description=_("答复期限"), ordering="effective_due")
    def due(self, obj: DisclosureRequest):
        if obj.status == Status.CLOSED:
            return mark_safe('<span class="deadline deadline--closed">已办结</span>')
        if obj.status == Status.AWAITING_CONFIRMATION:
            return mark_safe('<span class="deadline">待确认收到</span>')
        due = obj.effective_due_date
        if due is None:
            return mark_safe('<span class="deadline deadline--paused">暂停计时</span>')
        today = timezone.localdate()
        if due < today:
            return format_html(
                '<strong class="deadline deadline--overdue">{} 已逾期</strong>', f"{due:%Y-%m-%d}"
            )
        if due == today:
            return format_html(
                '<strong class="deadline deadline--today">{} 今日到期</strong>', f"{due:%Y-%m-%d}"
            )
        return f"{due:%Y-%m-%d}"

    # ------------------------------------------------------------ urls

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        view = self.admin_site.admin_view
        return [
            path("export/", view(self.export_view), name=f"{name}_export"),
            path(
                "<path:object_id>/actions/<slug:action>/",
                view(self.action_view),
                name=f"{name}_action",
            ),
            path(
                "<path:object_id>/letters/<int:letter_id>.<str:fmt>",
                view(self.letter_view),
                name=f"{name}_letter",
            ),
            path(
                "<path:object_id>/registered/",
                view(self.registered_view),
                name=f"{name}_registered",
            ),
            *super().get_urls(),
        ]

    def _url(self, view: str, *args) -> str:
        return reverse(
            f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_{view}",
            args=args,
        )

    def _application(self, request, object_id) -> DisclosureRequest:
        """The application if ``request.user`` may see it, else 404 (no hint that it exists)."""
        try:
            pk = int(unquote(str(object_id)))
        except ValueError:
            raise Http404 from None
        application = (
            self.get_queryset(request)
            .select_related("agency", "handler", "transferred_to")
            .filter(pk=pk)
            .first()
        )
        if application is None:
            raise Http404("申请不存在，或您无权查看。")
        return application

    def _context(self, request, application=None, **extra):
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "application": application,
            **extra,
        }

    # ------------------------------------------------------------ the case page

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """Everything about one application, read-only, with the steps the user may take."""
        application = self._application(request, object_id)
        # 个人信息保护法: staff access to the applicant's data is itself recorded.
        record_staff_access(application, request.user)
        buttons = [
            {
                "action": form.action,
                "title": form.title,
                "style": form.style,
                "url": self._url("action", application.pk, form.action),
            }
            for form in available_forms(application, request.user)
        ]
        letters = [
            {
                "letter": letter,
                "pdf": self._url("letter", application.pk, letter.pk, "pdf") if letter.pdf else "",
                "docx": self._url("letter", application.pk, letter.pk, "docx"),
            }
            for letter in application.letters.all()
        ]
        context = self._context(
            request,
            application,
            title=application.tracking_code,
            is_detail=True,
            clock=clock_summary(application),
            buttons=buttons,
            may_act=has_role(request.user, application.agency, HANDLING_ROLES),
            events=application.events.select_related("actor"),
            letters=letters,
            supplements=application.supplements.order_by("notice_date", "pk"),
            consultations=application.consultations.order_by("sent_date", "pk"),
            extension=Extension.objects.filter(request=application)
            .select_related("approved_by", "requested_by")
            .first(),
            fee=FeeNotice.objects.filter(request=application).first(),
            **(extra_context or {}),
        )
        return TemplateResponse(request, TEMPLATES + "detail.html", context)

    def action_view(self, request, object_id, action):
        """GET: the step's form; POST: call its action and go back to the case page."""
        application = self._application(request, object_id)
        form_class = ACTION_FORMS.get(action)
        if form_class is None:
            raise Http404
        if not has_role(request.user, application.agency, HANDLING_ROLES):
            raise PermissionDenied("您没有办理本申请的权限。")
        detail = self._url("change", application.pk)
        if request.method == "POST":
            form = form_class(request.POST, application=application)
            if form.is_valid():
                try:
                    message = form.perform(acting_user=request.user)
                except TransitionError as exc:
                    # A stale page: someone else moved the case on meanwhile.
                    messages.error(request, "；".join(exc.messages))
                    return redirect(detail)
                except PermissionDenied as exc:
                    form.add_error(None, str(exc) or "您没有办理此事项的权限。")
                except ValidationError as exc:
                    form.add_error(None, exc.messages)
                else:
                    messages.success(request, message)
                    return redirect(detail)
        else:
            if action not in allowed_actions(application.status) or not form_class.available(
                application
            ):
                messages.warning(
                    request,
                    f"申请当前状态为“{application.get_status_display()}”，"
                    f"不能{form_class.title}（可能已被其他人处理，请刷新页面）。",
                )
                return redirect(detail)
            form = form_class(application=application)
        context = self._context(
            request,
            application,
            title=form_class.title,
            form=form,
            intro=form_class.intro,
            clock=clock_summary(application),
            detail_url=detail,
        )
        return TemplateResponse(request, TEMPLATES + "action_form.html", context)

    def letter_view(self, request, object_id, letter_id, fmt):
        """A letter of an application the user may see (letters are never served as media)."""
        application = self._application(request, object_id)
        letter = application.letters.filter(pk=letter_id).first()
        if letter is None or fmt not in ("pdf", "docx"):
            raise Http404
        file = letter.pdf if fmt == "pdf" else letter.docx
        if not file:
            raise Http404
        filename = f"{application.tracking_code}-{letter.get_kind_display()}.{fmt}"
        return FileResponse(file.open("rb"), as_attachment=True, filename=filename)

    # ------------------------------------------------------------ intake

    def add_view(self, request, form_url="", extra_context=None):
        """登记申请: an application received 当面, by post, fax or orally (条例第三十一条)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = RegisterForm(
            request.POST if request.method == "POST" else None,
            agencies=intake_agencies(request.user),
        )
        if request.method == "POST" and form.is_valid():
            try:
                application, password = form.register(acting_user=request.user)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                request.session[REGISTERED_KEY] = {"pk": application.pk, "password": password}
                return redirect(self._url("registered", application.pk))
        context = self._context(request, title="登记申请", form=form)
        return TemplateResponse(request, TEMPLATES + "register.html", context)

    def registered_view(self, request, object_id):
        """The tracking code and query password, once: the clerk hands them to the applicant."""
        application = self._application(request, object_id)
        registered = request.session.pop(REGISTERED_KEY, None)
        if not registered or registered.get("pk") != application.pk:
            return redirect(self._url("change", application.pk))
        context = self._context(
            request,
            application,
            title="申请已登记",
            password=registered["password"],
            detail_url=self._url("change", application.pk),
        )
        return TemplateResponse(request, TEMPLATES + "registered.html", context)

    # ------------------------------------------------------------ 台账

    def export_view(self, request):
        """导出台账: the changelist as filtered and searched, masked as the ledger decides."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        params = request.GET.copy()
        fmt = params.pop("format", ["xlsx"])[-1]
        if fmt not in FORMATS:
            raise Http404
        request.GET = params
        applications = self.get_changelist_instance(request).get_queryset(request)
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return ledger_response(
            applications, fmt, user=request.user, filename=f"依申请公开台账-{stamp}"
        )


def intake_agencies(user):
    """Where ``user`` may register applications: agencies where he is 办理人 or 负责人."""
    agencies = Agency.objects.filter(is_active=True).order_by("path")
    if user.is_superuser:
        return agencies
    return agencies.filter(memberships__user=user, memberships__role__in=HANDLING_ROLES).distinct()


def clock_summary(application: DisclosureRequest) -> dict:
    """The reply clock as the case page shows it: the date, its state, and how it was counted."""
    today = timezone.localdate()
    explanation = application.due_explanation or {}
    notes = explanation.get("explanation", [])
    due = application.effective_due_date
    summary = {
        "due": due,
        "deferred": application.deferred_due_date is not None,
        "error": explanation.get("error", ""),
        "rule": explanation.get("rule", ""),
        "start": explanation.get("start"),
        "working_days": explanation.get("working_days"),
        "pauses": explanation.get("pauses", []),
        "skipped": [n for n in notes if not n.get("counted")],
        "holidays": holiday_runs(notes),
        "weekend_days": sum(n.get("reason") == SkipReason.WEEKEND for n in notes),
        "paused_days": sum(n.get("reason") == SkipReason.PAUSED for n in notes),
        "makeup_days": [n for n in notes if n.get("counted") and n.get("makeup")],
        "notes": notes,
        "state": "",
        "remaining": None,
    }
    if application.status == Status.CLOSED:
        summary["state"] = "closed"
    elif application.status == Status.AWAITING_CONFIRMATION:
        summary["state"] = "awaiting"
    elif due is None:
        summary["state"] = "paused"
    elif due < today:
        summary["state"] = "overdue"
        with suppress(ScheduleUnknown):
            summary["remaining"] = get_calendar().working_days_between(due, today)
    else:
        summary["state"] = "today" if due == today else "running"
        with suppress(ScheduleUnknown):
            summary["remaining"] = get_calendar().working_days_between(today, due)
    return summary


def holiday_runs(notes: list[dict]) -> list[str]:
    """The 放假 days skipped, as runs: ``国庆节放假 2026-10-01至2026-10-07（7天）``."""
    runs: list[list[dict]] = []
    for note in notes:
        if note.get("reason") != SkipReason.HOLIDAY:
            continue
        previous = runs[-1][-1] if runs else None
        if (
            previous is not None
            and previous["holiday"] == note["holiday"]
            and date.fromisoformat(note["date"]) - date.fromisoformat(previous["date"])
            == timedelta(days=1)
        ):
            runs[-1].append(note)
        else:
            runs.append([note])
    return [
        f"{run[0]['holiday']}放假 {run[0]['date']}"
        + (f"至{run[-1]['date']}" if len(run) > 1 else "")
        + f"（{len(run)}天）"
        for run in runs
    ]


# ---------------------------------------------------------------- letter templates


def do_save_letter_template(template: LetterTemplate, *, acting_user) -> LetterTemplate:
    """Save an office's (or, for a superuser, the platform's) letter template, audited."""
    if not can_edit_template(acting_user, template.agency):
        raise PermissionDenied("您没有修改该机关文书模板的权限。")
    with transaction.atomic():
        before = {}
        if template.pk is not None:
            stored = LetterTemplate.objects.select_for_update().filter(pk=template.pk).first()
            before = snapshot(stored, ["agency_id", "kind", "title", "body"]) if stored else {}
        created = not before
        template.save()
        record_event(
            "disclosure_requests.letter_template_save",
            actor=acting_user,
            agency=template.agency,
            obj=template,
            summary=f"{'新增' if created else '修改'}文书模板：{template}",
            changes=diff(before, snapshot(template, ["agency_id", "kind", "title", "body"])),
        )
    return template


def do_delete_letter_template(template: LetterTemplate, *, acting_user) -> None:
    """Delete an office's template: its letters fall back to the platform default."""
    if template.agency is None or not can_edit_template(acting_user, template.agency):
        raise PermissionDenied("平台默认模板不能删除。")
    with transaction.atomic():
        record_event(
            "disclosure_requests.letter_template_delete",
            actor=acting_user,
            agency=template.agency,
            obj=template,
            summary=f"删除文书模板：{template}，恢复使用平台默认模板",
        )
        template.delete()


def can_edit_template(user, agency) -> bool:
    if agency is None:
        return bool(user.is_active and user.is_superuser)
    return user_scope(user, "change").contains(agency)


@admin.register(LetterTemplate)
class LetterTemplateAdmin(AgencyScopedAdmin):
    """文书模板: offices word their own letters; the platform defaults are the superuser's."""

    scope_action = "change"
    form = LetterTemplateForm
    list_display = ["kind", "owner", "title", "updated_at"]
    list_filter = ["kind", ("agency", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["agency"]
    search_fields = ["title", "body"]
    actions = None

    def get_queryset(self, request):
        scope = user_scope(request.user, "change")
        templates = LetterTemplate.objects.select_related("agency")
        if scope.is_empty:
            return templates.none()
        # The defaults are shown to every office (read-only) as the starting point.
        return templates.filter(scope.q("agency") | Q(agency__isnull=True))

    @admin.display(description=_("机关"), ordering="agency__path")
    def owner(self, obj: LetterTemplate) -> str:
        return obj.agency.name if obj.agency else "全平台默认"

    def has_module_permission(self, request):
        # The same as a non-empty ``change`` scope, from the roles already read for the menu.
        user = request.user
        return user.is_active and (
            user.is_superuser or bool(roles_anywhere(user) & (WORKING_ROLES | {Role.ADMIN}))
        )

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return self.has_add_permission(request)
        return can_edit_template(request.user, obj.agency)

    def has_delete_permission(self, request, obj=None):
        return (
            obj is not None and obj.agency is not None and self.has_change_permission(request, obj)
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency":
            kwargs["queryset"] = restrict(
                Agency.objects.order_by("path"), request.user, "change", agency_field=None
            )
            kwargs["required"] = not request.user.is_superuser
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        do_save_letter_template(obj, acting_user=request.user)

    def delete_model(self, request, obj):
        do_delete_letter_template(obj, acting_user=request.user)
