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


# Published 主动公开 records of the demo city, written by us (fictional).
# (agency, title, 文号, 成文日期, 一级主题分类, 文种, kind, body paragraphs, extra)
# extra: "interprets" (the title of the policy explained), "abolished" (the
# title of the record that replaces it), "form" (解读形式).
RECORDS: list[tuple[str, str, str, str, str, str, str, list[str], dict]] = [
    (
        "示范市人民政府办公室",
        "示范市人民政府办公室关于印发示范市2026年政务公开工作要点的通知",
        "示政办发〔2026〕8号",
        "2026-03-20",
        "综合政务",
        "notice",
        "policy",
        [
            "各县（区）人民政府，市政府各部门：",
            "现将《示范市2026年政务公开工作要点》印发给你们，请认真贯彻落实。",
            "一、深化重点领域信息公开。围绕重大建设项目、公共资源配置、社会公益事业，"
            "按照主动公开基本目录及时公开政策文件和办理结果。",
            "二、优化依申请公开办理。严格执行《中华人民共和国政府信息公开条例》"
            "规定的20个工作日答复期限，规范答复文书，做好补正告知和延期答复。",
            "三、强化政策解读和回应关切。政策文件与解读材料同步起草、同步审签、同步发布。",
            "四、加强平台建设。完善政府网站搜索功能，推进一网通办和12345便民服务热线联动。",
        ],
        {"needs_interpretation": True},
    ),
    (
        "示范市人民政府办公室",
        "一图读懂示范市2026年政务公开工作要点",
        "",
        "2026-03-21",
        "综合政务",
        "other",
        "interpretation",
        [
            "工作要点从重点领域信息公开、依申请公开、政策解读、平台建设四个方面部署全年任务。",
            "依申请公开答复期限为20个工作日，需要延长的经政府信息公开工作机构负责人同意，"
            "延长期限最长不超过20个工作日。",
        ],
        {
            "interprets": "示范市人民政府办公室关于印发示范市2026年政务公开工作要点的通知",
            "form": "graphic",
        },
    ),
    (
        "示范市教育局",
        "示范市教育局关于做好2026年义务教育招生入学工作的通知",
        "示教发〔2026〕12号",
        "2026-04-08",
        "科技、教育",
        "notice",
        "policy",
        [
            "各县（区）教育局：",
            "为做好2026年义务教育阶段学校招生入学工作，现就有关事项通知如下。",
            "一、坚持免试就近入学。公办学校按划定的学区招生，民办学校与公办学校同步招生。",
            "二、规范招生信息公开。各校须在5月31日前公开招生范围、招生计划和入学条件。",
        ],
        {},
    ),
    (
        "示范市教育局",
        "示范市教育局关于做好2025年义务教育招生入学工作的通知",
        "示教发〔2025〕10号",
        "2025-04-02",
        "科技、教育",
        "notice",
        "policy",
        ["各县（区）教育局：", "现就2025年义务教育阶段学校招生入学工作通知如下。"],
        {"abolished": "示范市教育局关于做好2026年义务教育招生入学工作的通知"},
    ),
    (
        "示范市财政局",
        "示范市2025年市级部门预算公开说明",
        "",
        "2026-02-10",
        "财政、金融、审计",
        "other",
        "other",
        [
            "按照预算法和财政预决算公开的有关规定，现将2025年市级部门预算公开如下。",
            "“三公”经费预算合计1280万元，比上年减少3.2%。",
        ],
        {},
    ),
    (
        "示范市住房和城乡建设局",
        "示范市保障性安居工程2026年建设计划",
        "示建发〔2026〕5号",
        "2026-01-18",
        "城乡建设、环境保护",
        "notice",
        "policy",
        [
            "2026年全市计划筹集保障性租赁住房3000套，改造城镇老旧小区42个，棚户区改造开工1200套。",
            "各项目实行清单管理，项目进度按月在政府网站公开。",
        ],
        {},
    ),
    (
        "示范市生态环境局",
        "示範市生態環境局關於公佈2025年重點排污單位名錄的公告",
        "示環公告2026年第1號",
        "2026-02-28",
        "城乡建设、环境保护",
        "announcement",
        "other",
        [
            "根據《環境信息依法披露制度改革方案》，現將2025年重點排污單位名錄予以公佈。",
            "名錄內企業應當依法公開排污信息，接受社會監督。",
        ],
        {},
    ),
    (
        "示范市市场监督管理局",
        "示范市市场监督管理局关于推行双随机一公开监管的实施意见",
        "示市监发〔2025〕21号",
        "2025-09-12",
        "市场监管、安全生产监管",
        "opinion",
        "policy",
        [
            "全面推行随机抽取检查对象、随机选派执法检查人员、抽查情况及查处结果及时向社会公开。",
            "抽查结果在30个工作日内通过国家企业信用信息公示系统和政府网站公开。",
        ],
        {},
    ),
    (
        "示范市卫生健康委员会",
        "示范市卫生健康委员会关于公布2026年二级以上医院名单的通知",
        "示卫健发〔2026〕4号",
        "2026-03-02",
        "卫生、体育",
        "notice",
        "other",
        ["现将全市2026年二级以上医院名单予以公布，供群众就医参考。"],
        {},
    ),
    (
        "示范市发展和改革委员会",
        "示范市2026年重大建设项目清单",
        "示发改投资〔2026〕15号",
        "2026-02-20",
        "国民经济管理、国有资产监管",
        "notice",
        "policy",
        [
            "2026年全市安排重大建设项目86个，总投资1260亿元，其中交通项目18个、"
            "民生项目24个、产业项目44个。",
            "项目批准、实施和竣工信息按照重大建设项目领域基层政务公开标准目录公开。",
        ],
        {},
    ),
]
