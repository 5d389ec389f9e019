import factory

from zwgk.accounts.choices import Role
from zwgk.accounts.models import Membership, User
from zwgk.organizations.choices import AgencyKind, AgencyLevel
from zwgk.organizations.models import Agency


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"测试机关{n}")
    kind = AgencyKind.DEPARTMENT
    level = AgencyLevel.CITY


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"工作人员{n}")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        """``UserFactory(roles=[(agency, Role.EDITOR), ...])``."""
        self.save()
        for agency, role in extracted or ():
            Membership.objects.create(user=self, agency=agency, role=role)


__all__ = ["AgencyFactory", "Role", "UserFactory"]
