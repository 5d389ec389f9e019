import pytest

from tests.factories import UserFactory


@pytest.fixture
def superuser(db):
    """The platform's 系统管理员."""
    return UserFactory(username="admin", is_superuser=True)


@pytest.fixture
def staff_user(db):
    """A back-office user who is not a superuser."""
    return UserFactory(username="staff")
