import pytest

from tests.factories import Role, UserFactory


@pytest.fixture
def county_admin(world):
    """系统管理员 of the county: edits the catalogues of the county's whole subtree."""
    return UserFactory(username="county_admin", roles=[(world.county, Role.ADMIN)])
