"""The named fixture world every test can use.

    示范市人民政府 (city)
    ├── 示范市教育局, 示范市财政局 (departments)
    ├── 示范市税务局 (vertically managed; 主管部门 示范省税务局)
    └── 示范县人民政府 (county)
        ├── 示范县教育局
        └── 示范镇人民政府 (township)
    示范省人民政府 (province, the city's parent); 示范省税务局

Users: one per role, named after it (``editor``, ``reviewer``, ``handler``,
``office_head`` at the city 教育局; ``county_editor`` at the county 教育局;
``supervisor`` over the city government's subtree; ``admin`` superuser).
"""

from types import SimpleNamespace

import pytest

from tests.factories import AgencyFactory, Role, UserFactory
from zwgk.organizations.choices import AgencyKind, AgencyLevel


@pytest.fixture
def world(db):
    gov, dept, L = AgencyKind.GOVERNMENT, AgencyKind.DEPARTMENT, AgencyLevel
    province = AgencyFactory(name="示范省人民政府", kind=gov, level=L.PROVINCE)
    province_tax = AgencyFactory(
        name="国家税务总局示范省税务局", kind=dept, level=L.PROVINCE, parent=province
    )
    city = AgencyFactory(name="示范市人民政府", kind=gov, level=L.CITY, parent=province)
    city_edu = AgencyFactory(name="示范市教育局", kind=dept, level=L.CITY, parent=city)
    city_fin = AgencyFactory(name="示范市财政局", kind=dept, level=L.CITY, parent=city)
    city_tax = AgencyFactory(
        name="国家税务总局示范市税务局",
        kind=dept,
        level=L.CITY,
        parent=city,
        vertically_managed=True,
        supervising_authority=province_tax,
    )
    county = AgencyFactory(name="示范县人民政府", kind=gov, level=L.COUNTY, parent=city)
    county_edu = AgencyFactory(name="示范县教育局", kind=dept, level=L.COUNTY, parent=county)
    town = AgencyFactory(name="示范镇人民政府", kind=gov, level=L.TOWNSHIP, parent=county)
    users = SimpleNamespace(
        editor=UserFactory(username="editor", roles=[(city_edu, Role.EDITOR)]),
        reviewer=UserFactory(username="reviewer", roles=[(city_edu, Role.REVIEWER)]),
        handler=UserFactory(username="handler", roles=[(city_edu, Role.HANDLER)]),
        office_head=UserFactory(username="office_head", roles=[(city_edu, Role.OFFICE_HEAD)]),
        county_editor=UserFactory(username="county_editor", roles=[(county_edu, Role.EDITOR)]),
        supervisor=UserFactory(username="supervisor", roles=[(city, Role.SUPERVISOR)]),
        admin=UserFactory(username="admin", is_superuser=True),
    )
    return SimpleNamespace(
        province=province,
        province_tax=province_tax,
        city=city,
        city_edu=city_edu,
        city_fin=city_fin,
        city_tax=city_tax,
        county=county,
        county_edu=county_edu,
        town=town,
        users=users,
    )


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: cached pages and rate-limit counters of an
    earlier test (whose database was rolled back) must not leak into the next."""
    from django.core.cache import cache

    cache.clear()
