"""What was imported from which file: makes ``zwgk import-documents`` idempotent.

A file is identified by the SHA-256 of its bytes; importing the same bytes
again (same path, a copy elsewhere, a re-run after a crash) finds the row and
creates nothing.  The row also keeps the simplified-character copy of the
text (``search_text``) for search, while the record keeps the original, and
the extraction notes shown in the final report.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportedDocument(models.Model):
    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    source_path = models.CharField(_("源文件"), max_length=1000)
    record = models.ForeignKey(
        "records.Record",
        verbose_name=_("政府信息"),
        on_delete=models.PROTECT,
        related_name="imports",
    )
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    batch = models.CharField(_("批次"), max_length=40, db_index=True)
    issuer_text = models.CharField(_("原文发文机关"), max_length=300, blank=True)
    published_on = models.DateField(_("原发布日期"), null=True, blank=True)
    traditional = models.BooleanField(_("繁体原文"), default=False)
    search_text = models.TextField(
        _("检索文本"), blank=True, help_text=_("标题、文号和正文的简体规范化副本，供检索。")
    )
    notes = models.JSONField(_("提取说明"), default=list, blank=True)

    class Meta:
        verbose_name = _("导入文件")
        verbose_name_plural = _("导入文件")
        ordering = ["-imported_at", "-pk"]

    def __str__(self) -> str:
        return self.source_path
