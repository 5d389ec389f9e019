"""The catalogue templates zwgk ships: plain data, copied into an agency's catalogue on demand.

- ``article-20``: the 15 categories of 条例第二十条, one 一级事项 each;
- ``major-projects``, ``public-resources``, ``public-welfare``: the three key
  domains (国办发〔2017〕97号、〔2018〕10号 and the State Council opinion on 重大建设项目),
  each a 一级事项 with its classes as 二级事项 and their 公开内容（要素）;
- ``grassroots-26``: the 26 areas of the 基层政务公开标准化规范化 pilot
  (国办发〔2019〕54号) as 一级事项 headings, for a county or township to fill in.

The content elements are condensed from the national opinions as local
implementing plans restate them (see /work/shared/seeds).  Offices adapt
the copy in their own catalogue; the template itself never changes under them.
"""

from dataclasses import dataclass, field

from zwgk.catalogue.choices import Audience, Channel, DeadlineKind, DisclosureLevel, LegalCategory

REGULATION = "《中华人民共和国政府信息公开条例》"
PROJECTS_OPINION = "《国务院办公厅关于推进重大建设项目批准和实施领域政府信息公开的意见》"
RESOURCES_OPINION = (
    "《国务院办公厅关于推进公共资源配置领域政府信息公开的意见》（国办发〔2017〕97号）"
)
WELFARE_OPINION = (
    "《国务院办公厅关于推进社会公益事业建设领域政府信息公开的意见》（国办发〔2018〕10号）"
)
GRASSROOTS_OPINION = (
    "《国务院办公厅关于全面推进基层政务公开标准化规范化工作的指导意见》（国办发〔2019〕54号）"
)
CHINESE_ORDINALS = "一二三四五六七八九十"

WEBSITE = (Channel.WEBSITE,)
ONLINE = (Channel.WEBSITE, Channel.NEW_MEDIA)
LOCAL = (Channel.WEBSITE, Channel.NOTICE_BOARD, Channel.TARGETED_PUSH)
COUNTY_TOWNSHIP = (DisclosureLevel.COUNTY, DisclosureLevel.TOWNSHIP)


@dataclass(frozen=True)
class TemplateItem:
    """One item to copy; ``children`` become the items below it."""

    name: str
    content: str = ""
    basis: str = ""
    subject: str = ""
    deadline_kind: str = DeadlineKind.WORKING_DAYS
    deadline_days: int = 20
    deadline_note: str = ""
    channels: tuple[str, ...] = WEBSITE
    audience: str = Audience.PUBLIC
    levels: tuple[str, ...] = ()
    legal_category: int | None = None
    children: tuple["TemplateItem", ...] = ()

    def fields(self) -> dict[str, object]:
        """The model fields of the copy (``parent``, ``agency`` and 序号 are the caller's)."""
        return {
            "name": self.name,
            "content": self.content,
            "basis": self.basis,
            "subject": self.subject,
            "deadline_kind": self.deadline_kind,
            "deadline_days": self.deadline_days,
            "deadline_note": self.deadline_note,
            "channels": list(self.channels),
            "audience": self.audience,
            "levels": list(self.levels),
            "legal_category": self.legal_category,
        }

    def count(self) -> int:
        """This item and everything below it."""
        return 1 + sum(child.count() for child in self.children)


@dataclass(frozen=True)
class CatalogueTemplate:
    key: str
    title: str
    description: str
    items: tuple[TemplateItem, ...] = field(default=())

    def count(self) -> int:
        return sum(item.count() for item in self.items)


def _chinese_ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 15 → 十五 (enough for 条例第二十条)."""
    if n <= 10:
        return CHINESE_ORDINALS[n - 1]
    return "十" + CHINESE_ORDINALS[n - 11]


def article_20_basis(number: int) -> str:
    return f"{REGULATION}第二十条第（{_chinese_ordinal(number)}）项"


def _article_20_items() -> tuple[TemplateItem, ...]:
    items = []
    for category in LegalCategory:
        text = str(category.label).split("）", 1)[1]
        items.append(
            TemplateItem(
                name=text,
                content=text,
                basis=article_20_basis(category.value),
                legal_category=category.value,
            )
        )
    return tuple(items)


def _domain(
    name: str,
    content: str,
    basis: str,
    classes: tuple[tuple[str, str, dict], ...],
    *,
    legal_category: int | None = None,
) -> TemplateItem:
    return TemplateItem(
        name=name,
        content=content,
        basis=basis,
        legal_category=legal_category,
        channels=ONLINE,
        children=tuple(
            TemplateItem(name=class_name, content=elements, basis=basis, **extra)
            for class_name, elements, extra in classes
        ),
    )


MAJOR_PROJECTS = _domain(
    "重大建设项目批准和实施",
    "政府审批、核准、备案的对经济社会发展、民生改善有直接广泛和重要影响的固定资产投资项目"
    "在批准和实施过程中的8类信息。",
    PROJECTS_OPINION,
    (
        (
            "批准服务信息",
            "申报要求、申报材料清单、批准流程、办理时限、受理机构联系方式、监督举报方式。",
            {"subject": "项目审批、核准、备案部门"},
        ),
        (
            "批准结果信息",
            "项目建议书、可行性研究报告、初步设计文件审批结果，项目核准结果，节能审查意见，"
            "选址意见、用地预审、环境影响评价、建设用地规划许可、建设工程规划类许可、"
            "施工许可审批结果，招标事项审批核准结果，取水许可、水土保持方案、洪水影响评价等"
            "涉水事项审批结果。",
            {"subject": "各审批部门"},
        ),
        (
            "招标投标信息",
            "资格预审公告、招标公告、中标候选人公示、中标结果公示、合同订立及履行情况、"
            "招标投标违法处罚信息。",
            {"subject": "招标人、招标投标行政监督部门"},
        ),
        (
            "征收土地信息",
            "征地告知书及履行征地报批前程序的证明材料，建设项目用地呈报说明书、农用地转用方案、"
            "补充耕地方案、征收土地方案、供地方案，征地公告，征地补偿安置方案公告。",
            {"subject": "自然资源主管部门、县级人民政府"},
        ),
        (
            "重大设计变更信息",
            "项目设计变更原因、主要变更内容、变更依据、批准单位、变更结果。",
            {"subject": "设计变更批准部门"},
        ),
        (
            "施工有关信息",
            "项目法人单位及其主要负责人，设计、施工、监理单位及其主要负责人、项目负责人和资质，"
            "施工单位项目管理机构设置、工作职责、主要管理制度。",
            {"subject": "项目法人单位、行业主管部门"},
        ),
        (
            "质量安全监督信息",
            "质量安全监督机构及其联系方式、质量安全行政处罚情况。",
            {"subject": "质量安全监督机构"},
        ),
        (
            "竣工有关信息",
            "竣工验收时间及结果，竣工验收备案时间、备案编号、备案部门，交付使用时间，"
            "竣工决算审计单位、审计结论、财务决算金额。",
            {"subject": "项目法人单位、竣工验收备案部门、审计机关"},
        ),
    ),
    legal_category=LegalCategory.MAJOR_PROJECTS,
)

PUBLIC_RESOURCES = _domain(
    "公共资源配置",
    "社会关注度高，具有公有性、公益性，对经济社会发展、民生改善有直接、广泛和重要影响的"
    "公共资源分配事项；按照“谁批准、谁公开，谁实施、谁公开，谁制作、谁公开”公开。",
    RESOURCES_OPINION,
    (
        (
            "住房保障",
            "保障性安居工程建设规划、年度建设计划及完成情况；农村危房改造政策、对象认定过程、"
            "补助资金分配、改造结果；保障性住房分配政策、分配对象、分配房源、分配程序、"
            "分配过程、分配结果；骗取公共资源等不良行为“黑名单”。",
            {"subject": "住房城乡建设部门"},
        ),
        (
            "国有土地使用权出让",
            "用地政策、土地供应计划、出让公告、成交公示、供应结果、项目信息、“黑名单”。",
            {"subject": "自然资源主管部门、公共资源交易中心"},
        ),
        (
            "矿业权出让",
            "出让公告公示、审批结果信息、出让结果信息、项目信息、“黑名单”。",
            {"subject": "自然资源主管部门、公共资源交易中心"},
        ),
        (
            "政府采购",
            "政府集中采购目录、采购限额标准；采购项目公告、采购文件、预算金额、采购结果、"
            "采购合同；投诉和监督检查处理决定、对集中采购机构的考核结果、违法失信行为记录。",
            {
                "subject": "财政部门、采购人、采购代理机构",
                # 政府采购法实施条例第四十三条、第五十条: results and contracts within 2 days.
                "deadline_days": 2,
                "deadline_note": "中标、成交结果及采购合同2个工作日内",
                "legal_category": LegalCategory.PROCUREMENT,
            },
        ),
        (
            "国有产权交易",
            "产权交易决策及批准信息、交易项目信息、转让价格、交易价格、"
            "相关中介机构审计结果（涉及商业秘密的除外）。",
            {"subject": "国有资产监督管理部门、产权交易机构"},
        ),
        (
            "工程建设项目招标投标",
            "依法必须招标项目审批核准备案信息、市场主体信用信息；招标公告、中标候选人、"
            "中标结果、合同订立及履行信息（涉及国家秘密、商业秘密的除外）。",
            {
                "subject": "招标人、招标投标行政监督部门、公共资源交易平台",
                "deadline_kind": DeadlineKind.REAL_TIME,
                "channels": (Channel.WEBSITE, Channel.OTHER),
            },
        ),
    ),
)

PUBLIC_WELFARE = _domain(
    "社会公益事业建设",
    "社会高度关注、公益色彩浓厚的社会公益事业领域的政策、规划、资金、项目及实施情况。",
    WELFARE_OPINION,
    (
        (
            "脱贫攻坚",
            "扶贫政策、扶贫规划、扶贫项目名称、资金来源、实施期限、预期目标、实施结果、"
            "实施单位及责任人、举报电话、检查验收结果；向特定区域特定群体公开贫困识别、"
            "贫困退出、扶贫资金分配和使用、帮扶责任人、扶贫成效。",
            {
                "subject": "乡村振兴（扶贫）部门、乡镇人民政府",
                "channels": LOCAL,
                "levels": COUNTY_TOWNSHIP,
                "legal_category": LegalCategory.WELFARE,
            },
        ),
        (
            "社会救助和社会福利",
            "城乡低保、特困人员救助供养、受灾人员、医疗、教育、住房、就业、临时救助，"
            "老年人、残疾人、儿童福利的救助对象认定、救助标准、申领及审批程序；"
            "救助款物管理使用、福利补贴发放情况（保护个人隐私）。",
            {
                "subject": "民政部门、乡镇人民政府",
                "channels": LOCAL,
                "levels": COUNTY_TOWNSHIP,
                "legal_category": LegalCategory.WELFARE,
            },
        ),
        (
            "教育",
            "教育政策、发展规划、经费投入和使用、困难学生资助实施情况；义务教育控辍保学、"
            "均衡发展进展；民办学校办学资质、办学质量、招生范围和收费。",
            {"subject": "教育部门", "legal_category": LegalCategory.WELFARE},
        ),
        (
            "基本医疗卫生",
            "重大疾病预防控制、国家免疫规划、突发公共卫生事件、传染病疫情及防控；"
            "疾病应急救助、健康扶贫政策落实；医疗服务价格、食品安全信息。",
            {"subject": "卫生健康部门", "legal_category": LegalCategory.WELFARE},
        ),
        (
            "环境保护",
            "大气、水、土壤环境质量，自然生态保护，建设项目环境影响评价和验收，污染减排，"
            "重点排污单位，环境监管执法，突发环境事件，核与辐射安全监管，重污染天气预警。",
            {"subject": "生态环境部门", "legal_category": LegalCategory.INSPECTIONS},
        ),
        (
            "灾害事故救援",
            "自然灾害、事故灾难、公共卫生事件等突发事件的应急处置与救援、医疗救护与卫生防疫、"
            "次生灾害预警防范；灾害救助需求，救助款物和捐赠款物数量及使用，"
            "救助对象及款物数额，灾后恢复重建进展。",
            {
                "subject": "应急管理部门",
                "deadline_kind": DeadlineKind.REAL_TIME,
                "channels": (
                    Channel.WEBSITE,
                    Channel.NEW_MEDIA,
                    Channel.BROADCAST,
                    Channel.PRESS_CONFERENCE,
                ),
                "legal_category": LegalCategory.EMERGENCIES,
            },
        ),
        (
            "公共文化体育",
            "公共文化体育服务保障政策、服务体系建设、财政资金投入和使用、设施建设和使用，"
            "政府购买服务目录、绩效评价结果；文化遗产保护，公共文化体育设施名录，"
            "公益性文化服务活动和体育赛事，受捐款物管理使用。",
            {"subject": "文化和旅游部门、体育部门"},
        ),
    ),
)

GRASSROOTS_AREAS = (
    "城乡规划",
    "重大建设项目",
    "公共资源交易",
    "财政预决算",
    "安全生产",
    "税收管理",
    "征地补偿",
    "国有土地上房屋征收与补偿",
    "环境保护",
    "公共文化服务",
    "扶贫",
    "救灾",
    "食品药品监管",
    "城市综合执法",
    "公共法律服务",
    "就业",
    "社会保险",
    "社会救助",
    "养老服务",
    "户籍管理",
    "涉农补贴",
    "医疗卫生",
    "市政服务",
    "农村危房改造",
    "保障性住房",
    "义务教育",
)

TEMPLATES: dict[str, CatalogueTemplate] = {
    template.key: template
    for template in (
        CatalogueTemplate(
            "article-20",
            "条例第二十条法定主动公开内容",
            "条例第二十条规定的15类主动公开政府信息，每类一个一级事项，"
            "公开时限为信息形成或变更之日起20个工作日（条例第二十六条）。",
            _article_20_items(),
        ),
        CatalogueTemplate(
            "major-projects",
            "重大建设项目批准和实施领域",
            "重大建设项目批准和实施领域的8类信息及公开内容。",
            (MAJOR_PROJECTS,),
        ),
        CatalogueTemplate(
            "public-resources",
            "公共资源配置领域",
            "公共资源配置领域的6个方面及公开内容。",
            (PUBLIC_RESOURCES,),
        ),
        CatalogueTemplate(
            "public-welfare",
            "社会公益事业建设领域",
            "社会公益事业建设领域的7个方面及公开内容。",
            (PUBLIC_WELFARE,),
        ),
        CatalogueTemplate(
            "grassroots-26",
            "基层政务公开标准化规范化26个试点领域",
            "26个试点领域，每个领域一个一级事项，由县、乡两级按本领域标准指引细化二级事项。",
            tuple(
                TemplateItem(name=area, basis=GRASSROOTS_OPINION, levels=COUNTY_TOWNSHIP)
                for area in GRASSROOTS_AREAS
            ),
        ),
    )
}
