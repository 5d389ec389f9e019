"""Reading rendered pages the way assistive technology does, for assertions."""

from html.parser import HTMLParser

FOCUSABLE_TAGS = {"button", "select", "textarea"}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.focusable: list[tuple[str, dict[str, str | None]]] = []
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.elements.append((tag, attributes))
        if "hidden" in attributes or attributes.get("tabindex") == "-1":
            return
        if (
            (tag == "a" and "href" in attributes)
            or tag in FOCUSABLE_TAGS
            or (tag == "input" and attributes.get("type") != "hidden")
        ):
            self.focusable.append((tag, attributes))


def parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    return collector


def focusable(html: str) -> list[tuple[str, dict[str, str | None]]]:
    """Focusable elements in document (Tab) order."""
    return parse(html).focusable


def elements(html: str, tag: str) -> list[dict[str, str | None]]:
    """The attributes of every ``tag`` element."""
    return [attrs for name, attrs in parse(html).elements if name == tag]
