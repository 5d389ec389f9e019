"""The search outbox: what changed on the site and must reach the index."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxEntry(models.Model):
    """A document whose public state changed; the drain brings the index in line with it.

    Written by the action that publishes, corrects, withdraws or abolishes,
    in that action's transaction: if the change commits, so does the entry,
    even if the process dies before the index is written.  The entry names
    the document only; the drain reads its state at that time, so entries
    for the same key collapse and the newest state wins.
    """

    key = models.CharField(_("文档"), max_length=64)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("检索待同步")
        verbose_name_plural = _("检索待同步")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.key
