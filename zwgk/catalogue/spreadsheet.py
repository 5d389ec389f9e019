"""The 标准目录 sheet: one row per catalogue item, the columns of the grassroots standard.

序号 | 一级事项 | 二级事项 | 公开内容（要素） | 公开依据 | 公开时限 | 公开主体 |
公开渠道和载体 | 公开对象 | 公开方式 | 公开层级

- A row with only 一级事项 is that 一级事项 itself; a row with both is a
  二级事项.  Items deeper than two levels write their names below the 一级事项
  joined by “ > ” in the 二级事项 column (“招标投标 > 中标结果”).
- A blank 一级事项 below a filled one repeats it: that is how a merged cell of
  the printed catalogue reads.
- 公开时限 is parsed by :func:`zwgk.catalogue.deadlines.parse_deadline`;
  channels and levels are lists separated by 、，,；; (aliases such as 网站,
  微信, 公示栏 are accepted), written back as labels joined by 、.
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import ValidationError

from zwgk.catalogue.choices import Audience, Channel, DisclosureLevel, DisclosureMode
from zwgk.catalogue.deadlines import DeadlineError, parse_deadline
from zwgk.catalogue.models import MAX_SORT_ORDER, CatalogueItem
from zwgk.utils.tabular import Row, write_table

SERIAL = "序号"
LEVEL1 = "一级事项"
LEVEL2 = "二级事项"
CONTENT = "公开内容（要素）"
BASIS = "公开依据"
DEADLINE = "公开时限"
SUBJECT = "公开主体"
CHANNELS = "公开渠道和载体"
AUDIENCE = "公开对象"
MODE = "公开方式"
LEVELS = "公开层级"
HEADERS = [SERIAL, LEVEL1, LEVEL2, CONTENT, BASIS, DEADLINE, SUBJECT, CHANNELS, AUDIENCE]
HEADERS += [MODE, LEVELS]
PATH_SEPARATOR = " > "
LIST_SEPARATORS = re.compile(r"[、，,；;\n]+")

# What offices write for the vocabulary entries, normalised with NFKC.
CHANNEL_ALIASES = {
    "网站": Channel.WEBSITE,
    "门户网站": Channel.WEBSITE,
    "政府门户网站": Channel.WEBSITE,
    "政务网站": Channel.WEBSITE,
    "政府信息公开平台": Channel.WEBSITE,
    "微博": Channel.NEW_MEDIA,
    "微信": Channel.NEW_MEDIA,
    "政务微博": Channel.NEW_MEDIA,
    "政务微信": Channel.NEW_MEDIA,
    "客户端": Channel.NEW_MEDIA,
    "政务新媒体": Channel.NEW_MEDIA,
    "公报": Channel.GAZETTE,
    "广播": Channel.BROADCAST,
    "电视": Channel.BROADCAST,
    "报刊": Channel.PRINT,
    "报纸": Channel.PRINT,
    "新闻发布会": Channel.PRESS_CONFERENCE,
    "发布会": Channel.PRESS_CONFERENCE,
    "听证会": Channel.PRESS_CONFERENCE,
    "查阅点": Channel.READING_POINT,
    "政府信息公开查阅点": Channel.READING_POINT,
    "政务服务大厅": Channel.SERVICE_CENTRE,
    "便民服务中心": Channel.SERVICE_STATION,
    "入户": Channel.DOOR_TO_DOOR,
    "现场": Channel.DOOR_TO_DOOR,
    "公示栏": Channel.NOTICE_BOARD,
    "公开栏": Channel.NOTICE_BOARD,
    "电子屏": Channel.NOTICE_BOARD,
}
LEVEL_ALIASES = {
    "省": DisclosureLevel.PROVINCE,
    "市": DisclosureLevel.CITY,
    "县": DisclosureLevel.COUNTY,
    "县区级": DisclosureLevel.COUNTY,
    "乡": DisclosureLevel.TOWNSHIP,
    "乡镇": DisclosureLevel.TOWNSHIP,
    "乡镇级": DisclosureLevel.TOWNSHIP,
    "乡(镇)级": DisclosureLevel.TOWNSHIP,
}
AUDIENCE_ALIASES = {"社会公众": Audience.PUBLIC, "公众": Audience.PUBLIC}
AUDIENCE_ALIASES |= {"特定对象": Audience.SPECIFIC}
MODE_ALIASES = {"主动公开": DisclosureMode.PROACTIVE, "依申请公开": DisclosureMode.ON_REQUEST}


@dataclass
class ParsedRow:
    """One row read: the item's name path, its field values, and non-fatal warnings."""

    number: int
    names: tuple[str, ...]
    fields: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def check_headers(rows: Sequence[Row]) -> None:
    """Refuse what makes the file unusable as a whole: no rows, unknown or missing columns."""
    if not rows:
        raise ValidationError("文件中没有数据行。")
    values = rows[0].values
    unknown = [header for header in values if header not in HEADERS]
    if unknown:
        raise ValidationError(f"未知的列：{'、'.join(unknown)}。可用的列：{'、'.join(HEADERS)}。")
    if LEVEL1 not in values:
        raise ValidationError(f"缺少“{LEVEL1}”列。")


def parse_rows(rows: Sequence[Row]) -> tuple[list[ParsedRow], list[tuple[int, str]]]:
    """Every row's name path and fields, and every row error as (row number, message).

    Only the columns the file has are in ``fields``: a missing column leaves
    the items' values alone.  A blank 序号 is the row's position in the file.
    """
    check_headers(rows)
    parsed, errors = [], []
    seen: dict[tuple[str, ...], int] = {}
    previous_level1 = ""
    for row in rows:
        level1 = row.values[LEVEL1] or (previous_level1 if row.values.get(LEVEL2) else "")
        previous_level1 = level1
        row_messages = []
        if not level1:
            row_messages.append(f"{LEVEL1}不能为空。")
            names: tuple[str, ...] = ()
        else:
            lower = [part.strip() for part in row.values.get(LEVEL2, "").split(">")]
            names = (level1, *(part for part in lower if part))
            if any(len(name) > 200 for name in names):
                row_messages.append("事项名称不能超过200个字。")
            if names in seen:
                row_messages.append(f"事项“{PATH_SEPARATOR.join(names)}”与第{seen[names]}行重复。")
            else:
                seen[names] = row.number
        result = ParsedRow(row.number, names)
        for header, text in row.values.items():
            if header in (LEVEL1, LEVEL2):
                continue
            try:
                result.fields.update(_parse_cell(header, text, row, result.warnings))
            except (ValidationError, DeadlineError) as exc:
                messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
                row_messages.extend(messages)
        if row_messages:
            errors.extend((row.number, f"第{row.number}行：{message}") for message in row_messages)
        else:
            parsed.append(result)
    return parsed, errors


def item_cells(item: CatalogueItem, names: Sequence[str]) -> list[Any]:
    """One export row; ``names`` is the item's name path from its 一级事项."""
    return [
        item.sort_order,
        names[0],
        PATH_SEPARATOR.join(names[1:]),
        item.content,
        item.basis,
        item.deadline_text,
        item.subject,
        "、".join(item.channel_labels()),
        item.get_audience_display(),
        item.get_mode_display(),
        "、".join(item.level_labels()),
    ]


def catalogue_rows(items: Iterable[CatalogueItem]) -> Iterable[list[Any]]:
    """Export rows in tree order; ``items`` must come in tree order (``.tree()``), parents first.

    An item whose parent is not among ``items`` (an inactive parent) is left out.
    """
    names_by_pk: dict[int, tuple[str, ...]] = {}
    for item in items:
        if item.parent_id is None:
            names = (item.name,)
        elif item.parent_id in names_by_pk:
            names = (*names_by_pk[item.parent_id], item.name)
        else:
            continue
        names_by_pk[item.pk] = names
        yield item_cells(item, names)


def write_catalogue(file: IO[bytes], fmt: str, items: Iterable[CatalogueItem]) -> None:
    """Write the 标准目录 sheet; with no items it is the empty import template."""
    write_table(file, fmt, HEADERS, catalogue_rows(items))


def _parse_cell(header: str, text: str, row: Row, warnings: list[str]) -> dict[str, Any]:
    if header == SERIAL:
        return {"sort_order": _serial(text, row)}
    if header == DEADLINE:
        deadline = parse_deadline(text)
        if not deadline.recognised:
            warnings.append(f"公开时限“{text}”无法识别，按“其他”保存，不计算公开期限。")
        return deadline.as_fields()
    if header == CHANNELS:
        return {"channels": _vocabulary(text, Channel, CHANNEL_ALIASES, header)}
    if header == LEVELS:
        return {"levels": _vocabulary(text, DisclosureLevel, LEVEL_ALIASES, header)}
    if header == AUDIENCE:
        return {"audience": _choice(text, Audience, AUDIENCE_ALIASES, header)}
    if header == MODE:
        return {"mode": _choice(text, DisclosureMode, MODE_ALIASES, header)}
    name = {CONTENT: "content", BASIS: "basis", SUBJECT: "subject"}[header]
    return {name: text}


def _serial(text: str, row: Row) -> int:
    """序号 as written (“3”, or “2.3” whose last part counts); blank: the row's position."""
    if not text:
        return row.number - 1
    last = re.split(r"[.．、-]", unicodedata.normalize("NFKC", text).strip(".．、"))[-1]
    if not last.isdigit() or int(last) > MAX_SORT_ORDER:
        raise ValidationError(f"{SERIAL}应为不超过{MAX_SORT_ORDER}的整数，不能是“{text}”。")
    return int(last)


def _key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _lookup(text: str, choices, aliases: dict[str, str]) -> str | None:
    key = _key(text)
    by_key = {_key(str(label)): value for value, label in choices.choices}
    by_key |= {value: value for value in choices.values}
    by_key |= {_key(alias): value for alias, value in aliases.items()}
    return by_key.get(key)


def _vocabulary(text: str, choices, aliases: dict[str, str], header: str) -> list[str]:
    values, unknown = [], []
    for token in filter(None, (t.strip() for t in LIST_SEPARATORS.split(text))):
        found = _lookup(token, choices, aliases)
        # “政府网站/两微一端”: a slash is part of 发布会/听证会 and 入户/现场, else a separator.
        parts = [found] if found else [_lookup(p, choices, aliases) for p in token.split("/")]
        if not all(parts):
            unknown.append(token)
            continue
        values.extend(p for p in parts if p not in values)
    if unknown:
        allowed = "、".join(str(label) for label in choices.labels)
        raise ValidationError(f"{header}“{'、'.join(unknown)}”无效，应为：{allowed}。")
    return values


def _choice(text: str, choices, aliases: dict[str, str], header: str) -> str:
    if not text:
        return choices.values[0]
    found = _lookup(text, choices, aliases)
    if found is None:
        allowed = "、".join(str(label) for label in choices.labels)
        raise ValidationError(f"{header}“{text}”无效，应为：{allowed}。")
    return found
