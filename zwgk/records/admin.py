"""The back office of 主动公开: records, their attachments, 主题分类, 索引号 templates.

Nothing is saved raw: the metadata form and the attachment inline go through
:func:`~zwgk.records.actions.do_create_record`, ``do_update_record`` (drafts)
and ``do_correct_record`` (published records), and every workflow step is a
small form (:mod:`zwgk.records.forms`) calling one action.
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zwgk.accounts.choices import Role
from zwgk.accounts.permissions import has_role, memberships, user_scope
from zwgk.backoffice.mixins import AgencyScopedAdmin
from zwgk.catalogue.models import CatalogueItem
from zwgk.organizations.models import Agency
from zwgk.records import actions
from zwgk.records.choices import RecordKind, Status
from zwgk.records.docnum import normalize_docnum
from zwgk.records.forms import STEP_FORMS, AttachmentForm, RecordForm
from zwgk.records.indexnum import agency_template, render_index_number
from zwgk.records.interpretations import missing_interpretations, published_interpretation_exists
from zwgk.records.models import (
    Attachment,
    IndexNumberTemplate,
    IndexSerial,
    Record,
    TopicCategory,
)
from zwgk.records.workflow import (
    DRAFTING_ROLES,
    NOT_BY_DRAFTER,
    ROLES,
    allowed_actions,
)
from zwgk.utils.statemachine import TransitionError
from zwgk.workdays.services import schedule_warnings

TEMPLATES = "admin/records/record/"


def _may_work(user) -> bool:
    """Whether ``user`` holds any working role (or 系统管理员) anywhere.

    The permission layer's cached ``change`` scope answers it without a query,
    which matters because the sidebar asks every admin on every page; the
    precise role is checked by the form's agency choices and by the action.
    """
    return user.is_active and not user_scope(user, "change").is_empty


def agencies_for(user, roles):
    """Agencies where ``user`` holds one of ``roles`` (系统管理员: the whole subtree)."""
    agencies = Agency.objects.filter(is_active=True).order_by("path")
    if user.is_superuser:
        return agencies
    condition = Q(memberships__user=user, memberships__role__in=roles)
    for admin_path in user.memberships.filter(role=Role.ADMIN).values_list(
        "agency__path", flat=True
    ):
        condition |= Q(path__startswith=admin_path)
    return agencies.filter(condition).distinct()


def _autocompleting(request, field_name: str) -> bool:
    """Whether ``request`` is the admin autocomplete for ``records.Record.<field_name>``."""
    params = request.GET
    return (
        request.resolver_match is not None
        and request.resolver_match.url_name == "autocomplete"
        and params.get("app_label") == "records"
        and params.get("model_name") == "record"
        and params.get("field_name") == field_name
    )


def may(user, record: Record, action: str) -> bool:
    """Whether ``user`` may take ``action`` on ``record`` now (the action re-checks)."""
    if action not in allowed_actions(record.status):
        return False
    if not has_role(user, record.agency, ROLES[action]):
        return False
    return not (action in NOT_BY_DRAFTER and record.created_by_id == user.pk)


def policy_choices(user):
    """Policies ``user`` may link a 政策解读 to (the action checks the record's agency).

    Those in the user's scope, plus published policies of the agencies above
    the user's (a department explains its government's policy) and published
    joint documents naming one of the user's agencies.  Published records are
    public, so nothing is revealed that the portal does not show.
    """
    policies = Record.objects.policies()
    scope = user_scope(user, "view")
    if scope.everything:
        return policies
    rows = memberships(user)
    above = {path[: i + 1] for _, _, path in rows for i, c in enumerate(path) if c == "/"}
    joint = Record.issuers.through.objects.filter(agency_id__in={a for _, a, _ in rows})
    public = Q(status=Status.PUBLISHED) & (
        Q(agency__path__in=sorted(above)) | Q(pk__in=joint.values("record_id"))
    )
    return policies.filter(scope.q("agency") | public) if not scope.is_empty else policies.none()


class MissingInterpretationFilter(admin.SimpleListFilter):
    """同步发布: published policies needing an interpretation that has not been published."""

    title = _("政策解读")
    parameter_name = "interpretation"

    def lookups(self, request, model_admin):
        return [("missing", _("缺少解读")), ("present", _("已发布解读"))]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return missing_interpretations(queryset)
        if self.value() == "present":
            return queryset.filter(kind=RecordKind.POLICY).filter(published_interpretation_exists())
        return queryset


class AttachmentInline(admin.TabularInline):
    """附件: new uploads go through ``do_add_attachment`` (type, size, text extraction)."""

    model = Attachment
    form = AttachmentForm
    extra = 1
    fields = ["file", "original_name", "size", "sha256_short", "has_text", "sort_order"]
    readonly_fields = ["original_name", "size", "sha256_short", "has_text"]

    @admin.display(description="SHA-256")
    def sha256_short(self, obj):
        return f"{obj.sha256[:16]}…" if obj.sha256 else ""

    @admin.display(description=_("已提取文本"), boolean=True)
    def has_text(self, obj):
        return bool(obj.extracted_text) if obj.pk else None

    def _editable(self, request, obj) -> bool:
        return obj is None or self.admin_site._registry[Record].has_change_permission(request, obj)

    def has_view_permission(self, request, obj=None):
        return True  # the parent page is already scoped

    def has_add_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(request, obj)


@admin.register(Record)
class RecordAdmin(AgencyScopedAdmin):
    """政府信息: scoped list, the metadata form for drafts, one button per allowed step."""

    form = RecordForm
    inlines = [AttachmentInline]
    list_display = [
        "index_number_display",
        "title",
        "doc_number",
        "published_at",
        "status",
        "validity",
        "kind",
        "agency",
    ]
    list_display_links = ["index_number_display", "title"]
    list_filter = [
        "status",
        "validity",
        "doc_type",
        "disclosure",
        "kind",
        MissingInterpretationFilter,
        ("topic", admin.RelatedOnlyFieldListFilter),
        ("agency", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["title", "index_number", "doc_number"]
    list_select_related = ["agency"]
    list_per_page = 50
    filter_horizontal = ["issuers"]
    autocomplete_fields = ["interprets"]
    actions = None
    fieldsets = [
        (
            _("基本信息"),
            {
                "fields": [
                    "agency",
                    "issuers",
                    "title",
                    "doc_number",
                    "doc_type",
                    "topic",
                    "catalogue_item",
                    "keywords",
                    "summary",
                ]
            },
        ),
        (_("日期"), {"fields": ["written_on", "formed_on"]}),
        (
            _("政策解读"),
            {
                "fields": [
                    "kind",
                    "needs_interpretation",
                    "interprets",
                    "interpretation_form",
                    "author_unit",
                ],
                "description": _(
                    "谁起草、谁解读：政策文件与解读材料同步审签、同步发布。"
                    "政策解读须选择所解读的政策文件、解读形式和解读单位。"
                ),
            },
        ),
        (_("公开属性"), {"fields": ["disclosure", "withhold_reason", "next_review_on"]}),
        (_("正文"), {"fields": ["body"]}),
    ]
    publication_fieldset = (
        _("发布信息"),
        {
            "fields": [
                "index_number",
                "status",
                "published_at",
                "scheduled_for",
                "validity",
                "abolished_on",
                "replaced_by",
                "withdrawn_reason",
                "created_by",
                "secrecy_reviewed_by",
                "secrecy_reviewed_at",
                "approved_by",
                "approved_at",
            ]
        },
    )
    workflow_readonly = list(publication_fieldset[1]["fields"])

    # ------------------------------------------------------------ permissions

    def has_add_permission(self, request):
        return _may_work(request.user)

    def add_view(self, request, form_url="", extra_context=None):
        if not agencies_for(request.user, [*DRAFTING_ROLES, Role.ADMIN]).exists():
            raise PermissionDenied("您不是任何机关的信息员，不能新建政府信息。")
        return super().add_view(request, form_url, extra_context)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return _may_work(request.user)
        if obj.status == Status.DRAFT:
            return has_role(request.user, obj.agency, ROLES["update"])
        if obj.status == Status.PUBLISHED:
            return has_role(request.user, obj.agency, ROLES["correct"])
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # drafts are edited or left; published records are withdrawn

    # ------------------------------------------------------------ list and search

    @admin.display(description=_("索引号"), ordering="index_number")
    def index_number_display(self, obj):
        return obj.index_number or "—"

    def get_search_results(self, request, queryset, search_term):
        """Also match the 发文字号 however it is written (``[2017]``, ``（2017）`` …).

        The autocomplete of 解读的政策文件 searches :func:`policy_choices`.
        """
        if _autocompleting(request, "interprets"):
            queryset = policy_choices(request.user)
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        normalized = normalize_docnum(search_term) if search_term else None
        if normalized:
            results |= queryset.filter(doc_number_normalized=normalized)
        return results, may_have_duplicates

    # ------------------------------------------------------------ the form

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(self.fieldsets)
        if obj is not None:
            if obj.status == Status.PUBLISHED and self.has_change_permission(request, obj):
                fieldsets.append((_("更正"), {"fields": ["correction_note"]}))
            fieldsets.append(self.publication_fieldset)
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["agency", *self.workflow_readonly]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency":
            kwargs["queryset"] = agencies_for(request.user, [*DRAFTING_ROLES, Role.ADMIN])
        if db_field.name == "catalogue_item":
            # The form narrows this to the record's own agency once it has one.
            agencies = agencies_for(request.user, [*DRAFTING_ROLES, *ROLES["correct"], Role.ADMIN])
            kwargs["queryset"] = CatalogueItem.objects.filter(agency__in=agencies).tree()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "issuers":
            kwargs["queryset"] = Agency.objects.filter(is_active=True).order_by("path")
        if db_field.name == "interprets":
            kwargs["queryset"] = policy_choices(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except TransitionError as exc:
            messages.error(request, "；".join(exc.messages))
        except PermissionDenied as exc:
            messages.error(request, str(exc) or "您没有办理此事项的权限。")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        fields = {
            name: form.cleaned_data[name]
            for name in actions.EDITABLE_FIELDS
            if name in form.cleaned_data
        }
        issuers = form.cleaned_data.get("issuers")
        links = {"interprets": form.cleaned_data.get("interprets")}
        if not change:
            record = actions.do_create_record(
                form.cleaned_data["agency"],
                fields,
                issuers=issuers,
                acting_user=request.user,
                **links,
            )
        elif obj.status == Status.PUBLISHED:
            record = actions.do_correct_record(
                obj,
                fields,
                note=form.cleaned_data["correction_note"],
                issuers=issuers,
                acting_user=request.user,
                **links,
            )
        else:
            record = actions.do_update_record(
                obj, fields, issuers=issuers, acting_user=request.user, **links
            )
        obj.pk = record.pk
        obj.__dict__.update(record.__dict__)

    def save_related(self, request, form, formsets, change):
        # Issuers were set by the action; only the attachment inline is left.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        record = form.instance
        for inline_form in formset.forms:
            if not inline_form.has_changed() and not formset._should_delete_form(inline_form):
                continue
            attachment = inline_form.instance
            if formset._should_delete_form(inline_form):
                if attachment.pk:
                    actions.do_remove_attachment(attachment, acting_user=request.user)
            elif attachment.pk is None and inline_form.cleaned_data.get("file"):
                actions.do_add_attachment(
                    record,
                    inline_form.cleaned_data["file"],
                    sort_order=inline_form.cleaned_data.get("sort_order") or 0,
                    acting_user=request.user,
                )
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def log_addition(self, request, obj, message):
        pass  # the action wrote the audit event

    def log_change(self, request, obj, message):
        pass

    # ------------------------------------------------------------ workflow buttons

    def change_view(self, request, object_id, form_url="", extra_context=None):
        record = self._record(request, object_id)
        extra = {
            "step_buttons": [
                {
                    "title": STEP_FORMS[a].title,
                    "style": STEP_FORMS[a].style,
                    "url": self._url("step", record.pk, a),
                }
                for a in STEP_FORMS
                if may(request.user, record, a)
            ],
            "versions": record.versions.select_related("created_by").order_by("-number"),
            **(extra_context or {}),
        }
        return super().change_view(request, object_id, form_url, extra)

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}"
        return [
            path(
                "timeliness/",
                self.admin_site.admin_view(self.timeliness_view),
                name=f"{name}_timeliness",
            ),
            path(
                "missing-interpretations/",
                self.admin_site.admin_view(self.missing_interpretations_view),
                name=f"{name}_missing_interpretations",
            ),
            path(
                "<path:object_id>/steps/<slug:action>/",
                self.admin_site.admin_view(self.step_view),
                name=f"{name}_step",
            ),
            *super().get_urls(),
        ]

    # ------------------------------------------------------------ supervision pages

    def changelist_view(self, request, extra_context=None):
        extra = {
            "timeliness_url": self._url("timeliness"),
            "missing_interpretations_url": self._url("missing_interpretations"),
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra)

    def _supervision_context(self, request, title: str) -> dict:
        if not self.has_module_permission(request):
            raise PermissionDenied
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": title,
            "changelist_url": self._url("changelist"),
        }

    def timeliness_view(self, request):
        """公开时效: late records and stale catalogue items per agency, in the user's scope."""
        from zwgk.records.timeliness import timeliness_report

        context = self._supervision_context(request, "公开时效")
        today = timezone.localdate()
        try:
            year = int(request.GET.get("year") or today.year)
        except ValueError:
            year = today.year
        report = timeliness_report(
            self.get_queryset(request),
            CatalogueItem.objects.restrict(request.user),
            today,
            year=year,
        )
        context.update(
            report=report,
            year=year,
            years=range(today.year, today.year - 5, -1),
            warnings=schedule_warnings(today),
        )
        return TemplateResponse(request, TEMPLATES + "timeliness.html", context)

    def missing_interpretations_view(self, request):
        """缺少解读: published policies needing interpretation without one (同步发布)."""
        context = self._supervision_context(request, "缺少解读的政策文件")
        policies = missing_interpretations(self.get_queryset(request))
        groups: dict[int, dict] = {}
        for policy in policies:
            group = groups.setdefault(policy.agency_id, {"agency": policy.agency, "rows": []})
            group["rows"].append(policy)
        context["groups"] = list(groups.values())
        context["total"] = sum(len(g["rows"]) for g in groups.values())
        return TemplateResponse(request, TEMPLATES + "missing_interpretations.html", context)

    def _url(self, view: str, *args) -> str:
        return reverse(
            f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_{view}",
            args=args,
        )

    def _record(self, request, object_id) -> Record:
        """The record if ``request.user`` may see it, else 404 (no hint that it exists)."""
        try:
            pk = int(unquote(str(object_id)))
        except ValueError:
            raise Http404 from None
        record = self.get_queryset(request).select_related("agency").filter(pk=pk).first()
        if record is None:
            raise Http404("信息不存在，或您无权查看。")
        return record

    def step_view(self, request, object_id, action):
        """GET: the step's form; POST: call its action and go back to the record."""
        record = self._record(request, object_id)
        form_class = STEP_FORMS.get(action)
        if form_class is None:
            raise Http404
        detail = self._url("change", record.pk)
        if request.method == "POST":
            form = form_class(request.POST, record=record, user=request.user)
            if form.is_valid():
                try:
                    message = form.perform(acting_user=request.user)
                except TransitionError as exc:
                    messages.error(request, "；".join(exc.messages))
                    return redirect(detail)
                except PermissionDenied as exc:
                    form.add_error(None, str(exc) or "您没有办理此事项的权限。")
                except ValidationError as exc:
                    form.add_error(None, exc.messages)
                else:
                    messages.success(request, message)
                    if form.stay:
                        return redirect(self._url("step", record.pk, action))
                    return redirect(detail)
        else:
            if not may(request.user, record, action):
                messages.warning(
                    request,
                    f"信息当前状态为“{record.get_status_display()}”，"
                    f"您不能{form_class.title}（可能已被其他人处理，请刷新页面）。",
                )
                return redirect(detail)
            form = form_class(record=record, user=request.user)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "record": record,
            "title": form_class.title,
            "form": form,
            "intro": form_class.intro,
            "detail_url": detail,
        }
        return TemplateResponse(request, TEMPLATES + form_class.template, context)


@admin.register(TopicCategory)
class TopicCategoryAdmin(admin.ModelAdmin):
    """主题分类: first levels by the platform administrators, second levels by the offices."""

    list_display = ["__str__", "parent", "sort_order", "is_active"]
    list_filter = [("parent", admin.EmptyFieldListFilter), "is_active"]
    search_fields = ["name", "parent__name"]
    list_select_related = ["parent"]
    fields = ["parent", "name", "sort_order", "is_active"]
    actions = None

    def has_module_permission(self, request):
        return _may_work(request.user)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        if request.user.is_superuser:
            return True
        if obj is not None and obj.parent_id is None:
            return False
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False  # 停用 instead: records keep their classification

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "parent":
            kwargs["queryset"] = TopicCategory.objects.filter(parent=None)
            kwargs["required"] = not request.user.is_superuser
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        actions.do_save_topic(obj, acting_user=request.user)

    def log_addition(self, request, obj, message):
        pass

    def log_change(self, request, obj, message):
        pass


@admin.register(IndexNumberTemplate)
class IndexNumberTemplateAdmin(AgencyScopedAdmin):
    """索引号模板, per agency, with a preview of the next number."""

    list_display = ["agency", "template", "next_number"]
    search_fields = ["agency__name", "template"]
    list_select_related = ["agency"]
    fields = ["agency", "template", "next_number"]
    readonly_fields = ["next_number"]
    actions = None

    @admin.display(description=_("下一个索引号（预览）"))
    def next_number(self, obj):
        if obj is None or obj.agency_id is None:
            return "—"
        year = timezone.localdate().year
        serial = IndexSerial.objects.filter(agency=obj.agency, year=year).first()
        try:
            return render_index_number(
                obj.template or agency_template(obj.agency),
                obj.agency,
                year,
                (serial.last if serial else 0) + 1,
            )
        except ValidationError as exc:
            return "；".join(exc.messages)

    def _may_edit(self, request, agency=None) -> bool:
        if agency is None:
            return _may_work(request.user)
        return has_role(request.user, agency, [Role.OFFICE_HEAD])

    def add_view(self, request, form_url="", extra_context=None):
        if not agencies_for(request.user, [Role.OFFICE_HEAD]).exists():
            raise PermissionDenied("只有工作机构负责人或系统管理员可以设置索引号模板。")
        return super().add_view(request, form_url, extra_context)

    def has_add_permission(self, request):
        return self._may_edit(request)

    def has_change_permission(self, request, obj=None):
        return self._may_edit(request, obj.agency if obj is not None else None)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return ["agency", "next_number"] if obj is not None else ["next_number"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agency":
            kwargs["queryset"] = agencies_for(request.user, [Role.OFFICE_HEAD]).filter(
                index_number_template=None
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        saved = actions.do_save_index_template(
            obj.agency, form.cleaned_data["template"], acting_user=request.user
        )
        obj.pk = saved.pk

    def log_addition(self, request, obj, message):
        pass

    def log_change(self, request, obj, message):
        pass
