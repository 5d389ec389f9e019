"""Extraction on hand-written fixtures and on the five seed documents (read by path)."""

from datetime import date
from pathlib import Path

import pytest

from zwgk.importer.extract import (
    doc_type_for,
    extract,
    is_furniture,
    misdecoding,
    parse_chinese_date,
    to_simplified,
)
from zwgk.importer.loaders import decode, html_to_text, markdown_to_text

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"

NOTICE = """当前位置：首页 > 政务公开 > 文件
示范市人民政府办公室
关于印发示范市2024年政务公开
工作要点的通知
示政办发〔2024〕7号
各县（市、区）人民政府，市直各单位：
《示范市2024年政务公开工作要点》已经市政府同意，现印发给你们，请认真贯彻落实。
示范市人民政府办公室
2024年3月5日
（此件公开发布）
示范市2024年政务公开工作要点
一、总体要求
分享到：
打印本页 关闭窗口
扫描二维码 关注我们
"""


def test_fixture_notice_fields():
    e = extract(NOTICE)
    assert e.title == "示范市人民政府办公室关于印发示范市2024年政务公开工作要点的通知"
    assert e.doc_number == "示政办发〔2024〕7号"
    assert e.issuer == "示范市人民政府办公室"
    assert e.written_on == date(2024, 3, 5)
    assert e.doc_type == "notice"
    assert not e.misdecoded and not e.traditional
    assert e.clean


def test_fixture_notice_furniture_stripped_and_body_kept():
    e = extract(NOTICE)
    for furniture in ("当前位置", "分享到", "打印本页", "关闭窗口", "扫描二维码"):
        assert furniture not in e.body
    assert e.body.startswith("各县（市、区）人民政府")
    assert "一、总体要求" in e.body
    assert "2024年3月5日" in e.body  # the signature stays part of the document


def test_metadata_header_with_spaced_labels():
    text = """索  引  号 KZ044-2018-000180 主题分类 重大项目建设
名        称 关于做好 示范工作的通知
文        号 克政办发〔2018〕65号 发布日期 2018-12-19 12:02
发文单位 克州人民政府办公室 发布机构 克州人民政府办公室
各县(市)人民政府：
正文第一段。
"""
    e = extract(text)
    assert e.title == "关于做好示范工作的通知"
    assert e.doc_number == "克政办发〔2018〕65号"
    assert e.issuer == "克州人民政府办公室"
    assert e.published_on == date(2018, 12, 19)
    # No signed date: the 发布日期 stands in, and the report says so.
    assert e.written_on == date(2018, 12, 19)
    assert "未找到成文日期，使用发布日期" in e.notes
    assert "索引号" not in e.body


def test_chinese_numeral_date_and_order_number():
    text = (
        "湖北省人民政府令第282号\n《示范办法》已经省人民政府常务会议审议通过，现予公布。\n\n"
        "省长　某某某\n二○○五年十一月二十一日\n示范办法\n"
    )
    e = extract(text)
    assert e.doc_number == "湖北省人民政府令第282号"
    assert e.written_on == date(2005, 11, 21)
    assert e.issuer == "湖北省人民政府"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2018年3月5日", date(2018, 3, 5)),
        ("二〇一八年三月五日", date(2018, 3, 5)),
        ("二○一九年十二月三十一日", date(2019, 12, 31)),
        ("２０２０年１０月１日", date(2020, 10, 1)),
        ("2016 年1月29日", date(2016, 1, 29)),
        ("20181217日", date(2018, 12, 17)),
        ("2018-12-19 12:02", date(2018, 12, 19)),
        ("2018年2月30日", None),
        ("无日期", None),
    ],
)
def test_parse_chinese_date(text, expected):
    assert parse_chinese_date(text) == expected


def test_traditional_converted_for_search_original_kept():
    text = (
        "山東省人民政府辦公廳\n關於印發工作要點的通知\n魯政辦發〔2017〕39號\n"
        "各市人民政府：\n現印發給你們。\n山東省人民政府辦公廳\n2017年5月4日\n"
    )
    e = extract(text)
    assert e.traditional
    assert e.title == "山東省人民政府辦公廳關於印發工作要點的通知"
    assert e.doc_number == "魯政辦發〔2017〕39號"
    assert e.issuer == "山東省人民政府辦公廳"
    assert e.written_on == date(2017, 5, 4)
    assert "山东省人民政府办公厅关于印发工作要点的通知" in e.search_text
    assert "鲁政办发〔2017〕39号" in e.search_text
    assert "現印發給你們" in e.body


def test_misdecoded_text_is_reported_not_repaired():
    garbled = (
        "各縣、區(qū)人民政府,開發(fā)園區(qū),鄉(xiāng)鎮\n取得實效 ?。ㄒ唬├^續(xù)加大 ?。ǘ┘訌"
    )
    evidence = misdecoding(garbled)
    assert evidence and any("拼音" in item for item in evidence)
    assert extract(garbled).clean is False
    assert misdecoding("山東省人民政府辦公廳關於印發（一）工作要點。") == []
    assert misdecoding("正常文本\ufffd\ufffd") != []


@pytest.mark.parametrize(
    "line",
    [
        "分享到",
        "打印本页  关闭窗口",
        "扫描二维码 关注我们",
        "字号：   大   中   小",
        "首页 > 政务公开 > 通知公告",
        "浏览次数：2096",
        "./t20191016_1848120_app.shtml",
        "选择字体：[大-中-小]",
    ],
)
def test_furniture_lines(line):
    assert is_furniture(line)


@pytest.mark.parametrize(
    "line",
    [
        "各级各部门要结合实际，抓紧提出落实本要点的具体措施。",
        "示范市人民政府办公室",
        "一、总体要求",
    ],
)
def test_not_furniture(line):
    assert not is_furniture(line)


def test_doc_type_from_title():
    assert doc_type_for("关于印发《办法》的通知") == "notice"
    assert doc_type_for("关于推进工作的实施意见") == "opinion"
    assert doc_type_for("關於某事的批復") == "reply"
    assert doc_type_for("工作总结") == "other"


def test_to_simplified():
    assert to_simplified("辦公廳關於") == "办公厅关于"


def test_html_loader_meta_hints_and_skipped_elements():
    page = """<html><head><meta charset="gbk"><title>示范通知_示范市政府网</title>
<meta name="PubDate" content="2024-03-06 09:00"></head><body>
<nav>首页 | 政务公开</nav><script>var x = 1;</script>
<div class="content"><p>示政发〔2024〕1号</p><p>示范市人民政府关于示范事项的通知</p>
<p>各区人民政府：</p><p>现通知如下。</p><p>示范市人民政府</p><p>2024年3月5日</p></div>
<footer>网站地图</footer></body></html>"""
    text, hints = html_to_text(page.encode("gbk"))
    assert "var x" not in text and "网站地图" not in text and "首页" not in text
    assert hints["title"] == "示范通知"
    e = extract(text, hints=hints)
    assert e.title == "示范市人民政府关于示范事项的通知"
    assert e.published_on == date(2024, 3, 6)
    assert e.written_on == date(2024, 3, 5)


def test_decode_falls_back_to_gb18030_and_big5():
    assert decode("政务公开".encode("gb18030")) == "政务公开"
    assert decode("政務公開".encode("big5")) == "政務公開"


def test_markdown_loader():
    assert markdown_to_text("# 标题\n**加粗** [链接](http://x)") == "标题\n加粗 链接"


# ---------------------------------------------------------------- the seeds

SEED_EXPECTED = {
    "000_079112ff1aadfc6f.txt": (
        "太原市人民政府办公厅关于印发2018-2019年政务公开工作要点的通知",
        "太原市人民政府办公厅",
        "并政办发〔2018〕47号",
        date(2018, 9, 10),
    ),
    "001_1d4a09f1206489e2.txt": (
        "关于印发《自治州推进重大建设项目批准与实施、公共资源配置和社会公益事业建设领域政府信息公开工作方案》的通知",
        "克州人民政府办公室",
        "克政办发〔2018〕65号",
        date(2018, 12, 17),
    ),
    "002_9fc20ca144b27eb6.txt": (
        "咸宁市政务服务和大数据管理局关于印发咸宁市2019年政务公开工作要点的通知",
        "咸宁市政务服务和大数据管理局",
        "",
        date(2019, 7, 25),
    ),
    "003_ef33f372f56aafdd.txt": (
        "山東省人民政府辦公廳關於印發2017年山東省政務公開工作要點的通知",
        "山東省人民政府辦公廳",
        "魯政辦發〔2017〕39號",
        date(2017, 5, 4),
    ),
}


def _seed(name: str) -> str:
    path = SEEDS / name
    if not path.exists():
        pytest.skip(f"seed not found: {path}")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(SEED_EXPECTED))
def test_seed_fields(name):
    e = extract(_seed(name))
    assert (e.title, e.issuer, e.doc_number, e.written_on) == SEED_EXPECTED[name]
    assert not e.misdecoded
    for furniture in ("当前位置", "分享到", "打印本页", "关闭窗口", "扫描二维码", "您现在的位置"):
        assert furniture not in e.body


def test_seed_traditional_shandong():
    e = extract(_seed("003_ef33f372f56aafdd.txt"))
    assert e.traditional
    assert "山东省人民政府办公厅关于印发2017年山东省政务公开工作要点的通知" in e.search_text
    assert "貫徹執行" in e.body


def test_seed_misdecoded_kunming_is_flagged():
    e = extract(_seed("004_71e7dfcd1eb80e4a.txt"))
    assert e.misdecoded
    assert not e.clean
    assert e.title == ""  # the page has no title line: not guessed
    assert e.written_on == date(2015, 2, 17)
    assert e.issuer == "昆明市人民政府辦公廳"
