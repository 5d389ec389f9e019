import pytest

from tests.portal.factories import owned_site_profile


@pytest.fixture
def site_profile(world):
    """示范市人民政府门户网站, run by the city government."""
    return owned_site_profile(world.city)
