"""The 救济途径 sentence: how to challenge a letter, and before whom.

An office that does not tell the applicant the right to 行政复议, the
行政复议机关 and the period stretches the applicant's window to up to one year
(《中华人民共和国行政复议法》第二十条第三款; for 行政诉讼 the same follows
from 最高人民法院关于适用《中华人民共和国行政诉讼法》的解释第六十四条).  So
no letter that decides something goes out without this sentence, and a
letter whose 复议机关 cannot be named is not rendered at all.

Two forms:

* general — 行政复议 within 60 days (行政复议法第二十条第一款) to the
  复议机关, or 行政诉讼 within 6 months (行政诉讼法第四十六条第一款);
* 复议前置 — for 不予公开, including the withheld part of 部分公开
  (行政复议法第二十三条第一款第（四）项, in force 2024-01-01): 行政复议 first;
  a 行政诉讼 only against the 复议决定, within 15 days of receiving it
  (行政诉讼法第四十五条).  第二十三条第二款 obliges the office to say so.
"""

from dataclasses import dataclass

from zwgk.disclosure_requests.choices import Outcome
from zwgk.disclosure_requests.models import LetterKind
from zwgk.organizations.models import Agency
from zwgk.organizations.reconsideration import ReconsiderationError, reconsideration_body

REVIEW_LAW = "《中华人民共和国行政复议法》"
# 第二十三条第二款: the office must say that 复议 comes first; citing the item says why.
PRIOR_REVIEW_BASIS = f"{REVIEW_LAW}第二十三条第一款第（四）项"
COURT = "有管辖权的人民法院"


class ReliefError(ReconsiderationError):
    """No relief sentence can be written, so the letter must not be produced."""


@dataclass(frozen=True)
class ReliefRule:
    """Whether a kind of letter carries a relief sentence, how it names itself, and why."""

    required: bool
    document: str
    reason: str


# Which letters carry a relief sentence.  A letter that decides the applicant's
# rights must; a procedural step inside the handling of the application need
# not, because it is not a separate 行政行为 one could challenge — the decision
# that ends the case (a reply, including “不再处理” after a missed 补正 or fee)
# carries the sentence instead.
RELIEF_RULES: dict[str, ReliefRule] = {
    LetterKind.REPLY: ReliefRule(
        True,
        "本答复",
        "答复书是对申请作出的处理决定（条例第三十六条至第三十九条），必须告知救济途径"
        "（行政复议法第二十条、第二十三条第二款）。",
    ),
    LetterKind.FEE: ReliefRule(
        True,
        "本通知",
        "收费通知书要求申请人缴纳信息处理费，逾期不缴即不再处理（国办函〔2020〕109号），"
        "直接影响申请人的权利义务，按一般形式告知救济途径。",
    ),
    LetterKind.SUPPLEMENT: ReliefRule(
        False,
        "本告知书",
        "补正告知是办理过程中的程序性告知（条例第三十条），不对申请作出处理；"
        "逾期不补正而不再处理时，另发答复书并告知救济途径。",
    ),
    LetterKind.EXTENSION: ReliefRule(
        False,
        "本告知书",
        "延长答复期限（条例第三十三条第二款）和确定延迟答复期限（条例第三十五条）"
        "是程序性告知，不对申请作出处理；逾期未答复的，申请人可就未答复本身寻求救济。",
    ),
    LetterKind.CONSULTATION: ReliefRule(
        False,
        "本函",
        "征求意见函发给第三方或者其他机关（条例第三十二条、第三十四条），只征求意见，"
        "不对其作出决定；决定公开涉及第三方的信息时，应另行书面告知第三方并告知其救济途径。",
    ),
    LetterKind.DISCLOSURE_DECISION: ReliefRule(
        True,
        "本告知书",
        "第三方不同意公开而本机关因公共利益决定公开（条例第三十二条），"
        "该决定直接影响第三方的合法权益，按一般形式告知其救济途径。",
    ),
    LetterKind.REASONS: ReliefRule(
        False,
        "本告知书",
        "要求说明理由（条例第三十五条）是程序性告知；不予处理时，另发答复书并告知救济途径。",
    ),
}


def needs_relief(kind: str) -> bool:
    return RELIEF_RULES[LetterKind(kind)].required


def relief_sentence(
    agency: Agency,
    outcome: Outcome | None,
    *,
    partly_withheld: bool = False,
    document: str = "本答复",
) -> str:
    """The 救济途径 sentence for a letter of ``agency`` deciding ``outcome``.

    ``outcome=None`` (a fee notice) gives the general form.  A withholding
    outcome (:attr:`Outcome.withholds`) gives the 复议前置 form; 部分公开, or
    ``partly_withheld=True``, gives both, each for its part.  ``document`` is how
    the letter calls itself (“本答复”, “本通知”).

    Raises :class:`ReliefError` when the 行政复议机关 cannot be named.
    """
    try:
        body = reconsideration_body(agency)
    except ReconsiderationError as exc:
        raise ReliefError(f"无法生成救济途径告知，文书不能发出：{exc}") from exc
    reviewer = body.display_name
    if outcome is not None:
        outcome = Outcome(outcome)
    if partly_withheld or outcome is Outcome.PARTLY:
        return (
            f"如对{document}中提供政府信息的部分不服，可以自收到{document}之日起六十日内"
            f"向{reviewer}申请行政复议，或者自收到{document}之日起六个月内依法向{COURT}"
            f"提起行政诉讼；如对{document}中不予公开的部分不服，根据{PRIOR_REVIEW_BASIS}"
            f"的规定，应当先自收到{document}之日起六十日内向{reviewer}申请行政复议，"
            f"对行政复议决定不服的，可以自收到行政复议决定书之日起十五日内依法向{COURT}"
            "提起行政诉讼。"
        )
    if outcome is not None and outcome.withholds:
        return (
            f"如对{document}不服，根据{PRIOR_REVIEW_BASIS}的规定，应当先自收到{document}"
            f"之日起六十日内向{reviewer}申请行政复议；对行政复议决定不服的，可以自收到"
            f"行政复议决定书之日起十五日内依法向{COURT}提起行政诉讼。"
        )
    return (
        f"如对{document}不服，可以自收到{document}之日起六十日内向{reviewer}申请行政复议，"
        f"或者自收到{document}之日起六个月内依法向{COURT}提起行政诉讼。"
    )
