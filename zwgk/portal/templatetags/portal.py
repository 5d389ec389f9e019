from django import template

from zwgk.portal import navigation

register = template.Library()


def _path(context) -> str:
    request = context.get("request")
    return request.path if request is not None else ""


@register.inclusion_tag("portal/includes/nav_list.html", takes_context=True)
def main_nav(context):
    return {
        "links": navigation.links(navigation.MAIN_NAV, _path(context)),
        "list_id": "main-nav-list",
        "list_class": "site-nav__list",
    }


@register.inclusion_tag("portal/includes/nav_list.html", takes_context=True)
def disclosure_nav(context):
    return {
        "links": navigation.links(navigation.DISCLOSURE_NAV, _path(context)),
        "list_class": "column-nav__list",
    }


@register.inclusion_tag("portal/includes/disclosure_cards.html")
def disclosure_cards():
    """The entry points of the 政府信息公开 column, as cards."""
    return {"items": navigation.DISCLOSURE_NAV}
