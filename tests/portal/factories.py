import factory

from zwgk.portal.models import SiteProfile

# The 政府信息公开工作机构 contact data of the owner agency in portal tests.
OFFICE = {
    "office_name": "示范市人民政府办公室",
    "office_address": "示范市人民路1号",
    "office_postcode": "100001",
    "office_hours": "工作日上午9:00—12:00，下午13:30—17:30",
    "office_phone": "0351-12345678",
    "office_fax": "0351-12345679",
    "office_email": "zwgk@shifan.gov.cn",
    "office_website": "https://www.shifan.gov.cn/zwgk/",
}


class SiteProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SiteProfile

    name = "示范市人民政府门户网站"
    icp_record = "示ICP备12345678号"
    public_security_record = "示公网安备 12010102000001号"
    site_code = "1200000001"
    footer_note = "建议使用1280×800以上分辨率浏览"


def owned_site_profile(agency) -> SiteProfile:
    """A full site profile whose owner ``agency`` has its disclosure-office data filled in."""
    for field, value in OFFICE.items():
        setattr(agency, field, value)
    agency.save()
    return SiteProfileFactory(owner=agency)
