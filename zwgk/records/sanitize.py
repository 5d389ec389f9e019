"""The HTML of a record's body, reduced to a whitelist before it is stored.

Bodies are pasted from word processors and old sites; the portal renders them
as HTML, so scripts, event handlers, styles and foreign schemes are removed on
save (``nh3``, the Ammonia sanitiser), not on output.
"""

import nh3

TAGS = frozenset(
    {
        "p", "br", "hr", "div", "span", "pre", "code", "blockquote",
        "h1", "h2", "h3", "h4", "h5", "h6",
        "strong", "b", "em", "i", "u", "s", "sub", "sup",
        "ul", "ol", "li", "dl", "dt", "dd",
        "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
        "a", "img",
    }
)  # fmt: skip
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "type"},
    "p": {"align"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


def clean_body_html(html: str) -> str:
    """``html`` with only whitelisted tags, attributes and URL schemes."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=set(TAGS),
        attributes=ATTRIBUTES,
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()
