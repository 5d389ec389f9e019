from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zwgk.workdays.actions import do_import_schedule
from zwgk.workdays.arithmetic import WEEKDAY_NAMES
from zwgk.workdays.forms import NoticeImportForm
from zwgk.workdays.models import DeclaredDay, ScheduleYear
from zwgk.workdays.notice import parse_notice
from zwgk.workdays.preview import holiday_summaries, month_grids


class ReadOnlyAdmin(admin.ModelAdmin):
    """Browsing only: the calendar changes through the import action, never by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ScheduleYear)
class ScheduleYearAdmin(ReadOnlyAdmin):
    list_display = ("year", "off_count", "makeup_count", "source", "loaded_at", "loaded_by")
    list_select_related = ("loaded_by",)
    search_fields = ("source",)
    change_list_template = "workdays/admin/scheduleyear_change_list.html"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                off_count=Count("days", filter=Q(days__is_off_day=True)),
                makeup_count=Count("days", filter=Q(days__is_off_day=False)),
            )
        )

    @admin.display(description=_("放假天数"), ordering="off_count")
    def off_count(self, obj):
        return obj.off_count

    @admin.display(description=_("调休上班天数"), ordering="makeup_count")
    def makeup_count(self, obj):
        return obj.makeup_count

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_notice_view)
        return [
            path("import-notice/", view, name="workdays_scheduleyear_import_notice"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": request.user.is_superuser}
        return super().changelist_view(request, extra_context)

    def import_notice_view(self, request):
        """Paste a notice, preview it month by month, confirm.  Nothing is saved before confirm."""
        if not request.user.is_superuser:
            raise PermissionDenied("只有系统管理员可以导入节假日安排。")
        form = NoticeImportForm(
            request.POST or None, initial={"year": timezone.localdate().year + 1}
        )
        parsed = digest = None
        if form.is_valid():
            parsed = parse_notice(form.cleaned_data["text"], year=form.cleaned_data["year"])
            digest = form.digest()
            if "confirm" in request.POST and not parsed.errors:
                if request.POST.get("previewed") != digest:
                    messages.warning(
                        request, "通知内容在预览后有改动，请核对新的预览后再确认导入。"
                    )
                elif self._save(request, parsed):
                    return redirect("admin:workdays_scheduleyear_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "导入节假日通知",
            "form": form,
            "parsed": parsed,
            "digest": digest,
            "grids": month_grids(parsed) if parsed and parsed.year else [],
            "summaries": holiday_summaries(parsed) if parsed and parsed.year else [],
            "weekday_names": WEEKDAY_NAMES,
        }
        return TemplateResponse(request, "workdays/admin/import_notice.html", context)

    def _save(self, request, parsed) -> bool:
        try:
            do_import_schedule(
                parsed.year, parsed.days, source=parsed.source, acting_user=request.user
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return False
        self.message_user(
            request,
            f"已导入{parsed.year}年节假日安排：放假{len(parsed.off_days)}天，"
            f"调休上班{len(parsed.makeup_days)}天。",
            messages.SUCCESS,
        )
        return True


@admin.register(DeclaredDay)
class DeclaredDayAdmin(ReadOnlyAdmin):
    list_display = ("date", "weekday", "is_off_day", "name", "schedule")
    list_filter = ("schedule__year", "is_off_day", "name")
    list_select_related = ("schedule",)
    search_fields = ("name",)
    date_hierarchy = "date"

    @admin.display(description=_("星期"))
    def weekday(self, obj):
        return WEEKDAY_NAMES[obj.date.weekday()]
