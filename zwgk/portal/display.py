"""Display preferences (大字版, 高对比度), kept in cookies so that they work without JavaScript."""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse

from zwgk.portal.choices import Contrast, TextSize

TEXT_SIZE_COOKIE = "zwgk_text_size"
CONTRAST_COOKIE = "zwgk_contrast"
COOKIE_MAX_AGE = 365 * 24 * 3600


@dataclass(frozen=True)
class Display:
    text_size: TextSize = TextSize.STANDARD
    contrast: Contrast = Contrast.STANDARD

    @property
    def large_text(self) -> bool:
        return self.text_size == TextSize.LARGE

    @property
    def high_contrast(self) -> bool:
        return self.contrast == Contrast.HIGH

    @property
    def text_size_toggle(self) -> TextSize:
        """The text size the toolbar button switches to."""
        return TextSize.STANDARD if self.large_text else TextSize.LARGE

    @property
    def contrast_toggle(self) -> Contrast:
        """The colour scheme the toolbar button switches to."""
        return Contrast.STANDARD if self.high_contrast else Contrast.HIGH

    @property
    def html_class(self) -> str:
        """Classes for ``<html>``; the stylesheet scales and recolours the page from them."""
        classes = []
        if self.large_text:
            classes.append("text-large")
        if self.high_contrast:
            classes.append("contrast-high")
        return " ".join(classes)


def read_display(request: HttpRequest) -> Display:
    text_size = request.COOKIES.get(TEXT_SIZE_COOKIE, "")
    contrast = request.COOKIES.get(CONTRAST_COOKIE, "")
    return Display(
        TextSize(text_size) if text_size in TextSize.values else TextSize.STANDARD,
        Contrast(contrast) if contrast in Contrast.values else Contrast.STANDARD,
    )


def store_preference(
    response: HttpResponse, cookie: str, value: str, *, default: str, secure: bool
):
    """Remember a non-default choice for a year; choosing the default forgets it."""
    if value == default:
        response.delete_cookie(cookie, samesite="Lax")
    else:
        response.set_cookie(
            cookie, value, max_age=COOKIE_MAX_AGE, secure=secure, httponly=True, samesite="Lax"
        )
