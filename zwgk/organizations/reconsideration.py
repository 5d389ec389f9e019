"""行政复议机关: which body hears an application for 行政复议 against an agency's act.

Implements 《中华人民共和国行政复议法》(2023年9月1日修订，2024年1月1日起施行)
第二十四条至第二十七条.  Every reply letter names this body in its relief
sentence (救济途径), so a wrong answer sends the applicant to the wrong door.

The rules work on the agency tree: a government's parent is the government
one level up, a department's parent is its government (or the department
that manages it), a 派出机构's parent is the department that set it up.
Vertically managed bodies carry their 上一级主管部门 in
``Agency.supervising_authority`` because it is not in the local tree.

第二十六条 (国务院最终裁决 on decisions a province or a 国务院部门 makes about
its own acts) and 第二十八条 (司法行政部门) concern what happens after or
beside this choice and are left to the reply templates.
"""

from dataclasses import dataclass, replace

from zwgk.organizations.choices import AgencyKind, AgencyLevel
from zwgk.organizations.models import Agency

LAW = "《中华人民共和国行政复议法》"
ART_24_DEPARTMENT = f"{LAW}第二十四条第一款第（一）项"
ART_24_LOWER_GOVERNMENT = f"{LAW}第二十四条第一款第（二）项"
ART_24_DISPATCHED_ORGAN = f"{LAW}第二十四条第一款第（三）项"
ART_24_AUTHORIZED = f"{LAW}第二十四条第一款第（四）项"
ART_24_PROVINCE_ITSELF = f"{LAW}第二十四条第二款"
ART_24_PREFECTURE = f"{LAW}第二十四条第三款"
ART_24_DISPATCHED_OFFICE = f"{LAW}第二十四条第四款"
ART_25_DEPARTMENT = f"{LAW}第二十五条第（一）项"
ART_25_DISPATCHED_OFFICE = f"{LAW}第二十五条第（二）项"
ART_25_AUTHORIZED = f"{LAW}第二十五条第（三）项"
ART_27_VERTICAL = f"{LAW}第二十七条"

# Bodies that belong to the government or department above them.
SUBORDINATE_KINDS = frozenset(
    {AgencyKind.DISPATCHED_OFFICE, AgencyKind.INTERNAL, AgencyKind.AUTHORIZED}
)
# Governments and the 派出机关 standing in for one: a vertical line ends below them.
GOVERNING_KINDS = frozenset({AgencyKind.GOVERNMENT, AgencyKind.DISPATCHED_ORGAN})
# 直辖市 (北京、天津、上海、重庆) by GB/T 2260 code: level alone cannot tell them from 省.
MUNICIPALITY_CODES = frozenset({"110000", "120000", "310000", "500000"})


class ReconsiderationError(ValueError):
    """No 行政复议机关 can be named for the agency; the message says why, in Chinese."""


class NotReviewableError(ReconsiderationError):
    """The agency's acts are not subject to 行政复议 at all (国务院)."""


@dataclass(frozen=True)
class ReconsiderationBody:
    """The 行政复议机关 of one agency and the provision that makes it so.

    ``alternative`` is the second body the applicant may choose instead
    (第二十四条第四款: 所在地的人民政府 for a district-based 派出机构).
    """

    agency: Agency
    basis: str
    alternative: "ReconsiderationBody | None" = None

    @property
    def name(self) -> str:
        return self.agency.name

    @property
    def display_name(self) -> str:
        """The name for a relief sentence: “向{display_name}申请行政复议”."""
        if self.alternative is None:
            return self.name
        return f"{self.name}或者{self.alternative.name}"

    def __str__(self) -> str:
        return f"{self.display_name}（{self.basis}）"


def reconsideration_body(agency: Agency) -> ReconsiderationBody:
    """The 行政复议机关 for acts of ``agency`` (第二十四条至第二十七条).

    Raises :class:`NotReviewableError` for 国务院 and :class:`ReconsiderationError`
    when the body the law names is not registered or the tree contradicts the law.
    """
    # The agency, its parent, …, the root: one query instead of one per step up.
    chain = [agency, *reversed(agency.ancestors())]
    if agency.kind == AgencyKind.GOVERNMENT and agency.level == AgencyLevel.NATIONAL:
        raise NotReviewableError(
            f"国务院的行政行为不能申请行政复议（{LAW}第二十四条至第二十七条未规定其行政复议机关）。"
        )
    vertical = _vertical_body(chain)
    if vertical is not None:
        return vertical
    if agency.kind == AgencyKind.GOVERNMENT:
        return _for_government(chain)
    if agency.kind == AgencyKind.DISPATCHED_ORGAN:
        return _for_dispatched_organ(chain)
    if agency.kind == AgencyKind.DEPARTMENT:
        return _for_department(chain)
    return _for_subordinate(chain)


def _vertical_body(chain: list[Agency]) -> ReconsiderationBody | None:
    """第二十七条: 海关、金融、外汇管理等实行垂直领导的机关及税务、国家安全机关 → 上一级主管部门.

    Bodies registered inside such a body (税务所, 稽查局, a district bureau) are
    part of the same vertical line even when not flagged themselves: their
    上一级主管部门 is the vertically managed body above them.
    """
    agency = chain[0]
    if agency.vertically_managed:
        if agency.supervising_authority is None:
            raise ReconsiderationError(
                f"垂直管理机关“{agency}”未填写上一级主管部门，无法确定行政复议机关（{ART_27_VERTICAL}）。"
            )
        return ReconsiderationBody(agency.supervising_authority, ART_27_VERTICAL)
    if agency.kind in GOVERNING_KINDS:
        return None
    for node in chain[1:]:
        if node.vertically_managed:
            return ReconsiderationBody(node, ART_27_VERTICAL)
        if node.kind in GOVERNING_KINDS:
            break
    return None


def _for_government(chain: list[Agency]) -> ReconsiderationBody:
    agency = chain[0]
    if agency.level == AgencyLevel.PROVINCE:
        # 第二十四条第二款: 省、自治区、直辖市人民政府 hear cases on their own acts.
        return ReconsiderationBody(agency, ART_24_PROVINCE_ITSELF)
    # 第二十四条第一款第（二）项: the government one level up.
    index = _government_above(chain, 1)
    return _local_government(chain, index, ART_24_LOWER_GOVERNMENT, what="上一级人民政府")


def _for_dispatched_organ(chain: list[Agency]) -> ReconsiderationBody:
    # 第二十四条第一款第（三）项: the government that set it up (街道办事处 → 区人民政府).
    if len(chain) < 2 or chain[1].kind != AgencyKind.GOVERNMENT:
        raise _wrong_parent(chain[0], "设立它的人民政府")
    return _local_government(chain, 1, ART_24_DISPATCHED_ORGAN)


def _for_department(chain: list[Agency]) -> ReconsiderationBody:
    index = _government_above(chain, 1)
    if index is not None and chain[index].level == AgencyLevel.NATIONAL:
        # 第二十五条第（一）项: a 国务院部门 hears cases on its own acts.
        return ReconsiderationBody(chain[0], ART_25_DEPARTMENT)
    # 第二十四条第一款第（一）项: 本级人民政府.
    return _local_government(chain, index, ART_24_DEPARTMENT)


def _for_subordinate(chain: list[Agency]) -> ReconsiderationBody:
    """派出机构, and 内设机构 or 授权组织 acting in their own name."""
    agency = chain[0]
    dispatched = agency.kind == AgencyKind.DISPATCHED_OFFICE
    owner = next((i for i in range(1, len(chain)) if chain[i].kind not in SUBORDINATE_KINDS), None)
    if owner is None:
        raise _missing(
            agency, "上级机关", ART_24_DISPATCHED_OFFICE if dispatched else ART_24_AUTHORIZED
        )
    if chain[owner].kind == AgencyKind.DEPARTMENT:
        government = _government_above(chain, owner + 1)
        if government is not None and chain[government].level == AgencyLevel.NATIONAL:
            # 第二十五条第（二）（三）项: the 国务院部门 that set it up or manages it.
            basis = ART_25_DISPATCHED_OFFICE if dispatched else ART_25_AUTHORIZED
            return ReconsiderationBody(chain[owner], basis)
        if not dispatched:
            # 第二十四条第一款第（四）项: 本级人民政府 of the managing department.
            return _local_government(chain, government, ART_24_AUTHORIZED)
        # 第二十四条第四款: 本级人民政府, or also 所在地的人民政府 for a district-based one.
        body = _local_government(chain, government, ART_24_DISPATCHED_OFFICE)
        return replace(body, alternative=_location_government(agency, body.agency))
    if dispatched or not _acts_as_government(chain, owner):
        expected = "设立它的工作部门" if dispatched else "管理它的人民政府或工作部门"
        raise _wrong_parent(agency, expected)
    # 第二十四条第一款第（四）项: an organisation the government manages itself.
    return _local_government(chain, owner, ART_24_AUTHORIZED)


def _acts_as_government(chain: list[Agency], index: int) -> bool:
    """人民政府, or a 派出机关 of a 省、自治区 (行政公署、盟).

    第二十四条第三款: such a 派出机关 acts as a 设区的市级人民政府 would.
    """
    node = chain[index]
    if node.kind == AgencyKind.GOVERNMENT:
        return True
    parent = chain[index + 1] if index + 1 < len(chain) else None
    return (
        node.kind == AgencyKind.DISPATCHED_ORGAN
        and parent is not None
        and parent.kind == AgencyKind.GOVERNMENT
        and parent.level == AgencyLevel.PROVINCE
    )


def _government_above(chain: list[Agency], start: int) -> int | None:
    """Index in ``chain`` of the nearest government at or above ``chain[start]``."""
    return next((i for i in range(start, len(chain)) if _acts_as_government(chain, i)), None)


def _local_government(
    chain: list[Agency], index: int | None, basis: str, *, what: str = "本级人民政府"
) -> ReconsiderationBody:
    """``chain[index]`` as a 县级以上地方人民政府 hearing the case under ``basis``."""
    agency = chain[0]
    if index is None:
        raise _missing(agency, what, basis)
    body = chain[index]
    if body.kind == AgencyKind.DISPATCHED_ORGAN:
        # 第二十四条第三款: 行政公署 hear cases as a 设区的市级人民政府 would.
        return ReconsiderationBody(body, ART_24_PREFECTURE)
    if body.level in (AgencyLevel.NATIONAL, AgencyLevel.TOWNSHIP):
        # 第二十四条第一款 gives this power to 县级以上地方各级人民政府 only.
        raise ReconsiderationError(
            f"“{body}”不是行政复议机关（{LAW}第二十四条第一款限于县级以上地方各级人民政府），"
            f"请核对“{agency}”的上级机关和机关类型。"
        )
    return ReconsiderationBody(body, basis)


def _location_government(office: Agency, government: Agency) -> ReconsiderationBody | None:
    """第二十四条第四款后段: a 派出机构 that a 直辖市 or 设区的市 department set up by 行政区划
    may also go to 所在地的人民政府 — the district government with the office's division code.
    """
    municipality = (
        government.level == AgencyLevel.PROVINCE and government.division_code in MUNICIPALITY_CODES
    )
    city = government.level == AgencyLevel.CITY and government.kind == AgencyKind.GOVERNMENT
    if not office.division_code or not (municipality or city):
        return None
    location = Agency.objects.filter(
        parent=government,
        kind=AgencyKind.GOVERNMENT,
        level=AgencyLevel.COUNTY,
        division_code=office.division_code,
    ).first()
    return ReconsiderationBody(location, ART_24_DISPATCHED_OFFICE) if location else None


def _missing(agency: Agency, what: str, basis: str) -> ReconsiderationError:
    return ReconsiderationError(f"未登记“{agency}”的{what}，无法确定行政复议机关（{basis}）。")


def _wrong_parent(agency: Agency, expected: str) -> ReconsiderationError:
    return ReconsiderationError(
        f"无法确定“{agency}”的行政复议机关：{agency.get_kind_display()}的上级机关应为{expected}，"
        "请核对上级机关和机关类型。"
    )
