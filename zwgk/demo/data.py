"""The demo world, written by us: a fictional province, city, county and township.

Division codes start with 99, which GB/T 2260 leaves unused, so nothing here
can be mistaken for a real government.
"""

from zwgk.accounts.choices import Role
from zwgk.organizations.choices import AgencyKind, AgencyLevel

GOV, DEPT = AgencyKind.GOVERNMENT, AgencyKind.DEPARTMENT

# (name, kind, level, parent name, division code, extra fields)
AGENCIES: list[tuple[str, str, str, str | None, str, dict]] = [
    ("示范省人民政府", GOV, AgencyLevel.PROVINCE, None, "990000", {}),
    ("国家税务总局示范省税务局", DEPT, AgencyLevel.PROVINCE, "示范省人民政府", "990000", {}),
    ("示范市人民政府", GOV, AgencyLevel.CITY, "示范省人民政府", "990100", {}),
    *[
        (f"示范市{name}", DEPT, AgencyLevel.CITY, "示范市人民政府", "990100", {})
        for name in (
            "人民政府办公室",
            "发展和改革委员会",
            "教育局",
            "财政局",
            "自然资源和规划局",
            "生态环境局",
            "住房和城乡建设局",
            "卫生健康委员会",
            "市场监督管理局",
        )
    ],
    (
        "国家税务总局示范市税务局",
        DEPT,
        AgencyLevel.CITY,
        "示范市人民政府",
        "990100",
        {"vertically_managed": True, "supervising_authority": "国家税务总局示范省税务局"},
    ),
    ("示范县人民政府", GOV, AgencyLevel.COUNTY, "示范市人民政府", "990121", {}),
    *[
        (f"示范县{name}", DEPT, AgencyLevel.COUNTY, "示范县人民政府", "990121", {})
        for name in ("人民政府办公室", "教育局", "财政局", "自然资源局")
    ],
    ("示范县白石镇人民政府", GOV, AgencyLevel.TOWNSHIP, "示范县人民政府", "990121100", {}),
]

# (username, full name, agency name or None for the platform administrator, roles)
USERS: list[tuple[str, str, str | None, list[str]]] = [
    ("admin", "平台系统管理员", None, []),
    ("supervisor", "市政务公开办 王督查", "示范市人民政府", [Role.SUPERVISOR]),
    ("editor", "市教育局 李信息", "示范市教育局", [Role.EDITOR]),
    ("reviewer", "市教育局 赵审核", "示范市教育局", [Role.REVIEWER]),
    ("handler", "市教育局 陈办理", "示范市教育局", [Role.HANDLER]),
    ("office_head", "市教育局 周负责", "示范市教育局", [Role.OFFICE_HEAD]),
    ("county_admin", "县政务公开办 刘管理", "示范县人民政府", [Role.ADMIN]),
    ("county_editor", "县教育局 孙信息", "示范县教育局", [Role.EDITOR, Role.REVIEWER]),
]


def office_contact(agency_name: str, division_code: str) -> dict[str, str]:
    """Plausible 政府信息公开工作机构 contact data (条例第十二条) for a demo agency."""
    short = agency_name.removeprefix("国家税务总局")
    area = division_code[:4]
    return {
        "office_name": f"{short}政府信息公开工作机构",
        "office_address": f"{short[:3]}政务服务中心{int(area[-2:] or '0') + 1}号楼",
        "office_postcode": f"{division_code[:6]}",
        "office_hours": "工作日 上午9:00—12:00，下午13:30—17:30",
        "office_phone": f"0999-{division_code[2:6]}1234",
        "office_fax": f"0999-{division_code[2:6]}1235",
        "office_email": "gk@example.gov.cn",
    }
