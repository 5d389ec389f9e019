import hashlib

from django import forms
from django.utils.translation import gettext_lazy as _


class NoticeImportForm(forms.Form):
    """The text of 《国务院办公厅关于YYYY年部分节假日安排的通知》 pasted by an administrator."""

    year = forms.IntegerField(label=_("通知年份"), min_value=2000, max_value=2100)
    text = forms.CharField(
        label=_("通知全文"),
        widget=forms.Textarea(attrs={"rows": 16, "cols": 100}),
        help_text=_("从中国政府网复制通知全文（含标题）粘贴到这里。"),
    )

    def digest(self) -> str:
        """Identifies the previewed text, so that what is confirmed is what was previewed."""
        text = self.cleaned_data["text"].replace("\r\n", "\n")
        return hashlib.sha256(f"{self.cleaned_data['year']}\n{text}".encode()).hexdigest()
