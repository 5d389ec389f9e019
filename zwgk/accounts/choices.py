from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """A staff member's role within one agency."""

    EDITOR = "editor", _("信息员")
    REVIEWER = "reviewer", _("审核人")
    HANDLER = "handler", _("依申请公开办理人")
    OFFICE_HEAD = "office_head", _("工作机构负责人")
    SUPERVISOR = "supervisor", _("主管部门")
    ADMIN = "admin", _("系统管理员")
