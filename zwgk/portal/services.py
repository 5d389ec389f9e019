from django.http import HttpRequest

from zwgk.portal.models import SINGLETON_PK, SiteProfile

REQUEST_CACHE_ATTRIBUTE = "_zwgk_site_profile"


def get_site_profile(request: HttpRequest | None = None) -> SiteProfile:
    """The site profile with its owner agency, read once per request.

    Before a superuser has saved one, an unsaved profile with the default
    name stands in, so that the public pages render on a fresh install.
    """
    if request is not None and hasattr(request, REQUEST_CACHE_ATTRIBUTE):
        return getattr(request, REQUEST_CACHE_ATTRIBUTE)
    profile = (
        SiteProfile.objects.select_related("owner").filter(pk=SINGLETON_PK).first() or SiteProfile()
    )
    if request is not None:
        setattr(request, REQUEST_CACHE_ATTRIBUTE, profile)
    return profile
