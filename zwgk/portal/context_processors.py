from django.utils.functional import SimpleLazyObject

from zwgk.portal.display import read_display
from zwgk.portal.services import get_site_profile


def site(request):
    """``site_profile`` (read only when a template uses it) and the ``display`` preferences."""
    return {
        "site_profile": SimpleLazyObject(lambda: get_site_profile(request)),
        "display": read_display(request),
    }
