"""A record from the editor's draft to the portal, with a personal number masked on the way.

The editor drafts a notice whose body carries an applicant's mobile number and
submits it; the reviewer opens the 保密审查, sees the number highlighted,
clicks 全部遮蔽, confirms the checklist and passes the review, then signs it
off (审签); a visitor finds the record on the portal with its metadata and
the masked number only.

Live-server tests flush the database, including the 主题分类 seeded by
migration 0002, so the topic is made here.
"""

import pytest

from zwgk.records.choices import SecrecyCheck, Status
from zwgk.records.models import Record, TopicCategory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory
TITLE = "示范市教育局关于2026年义务教育招生咨询安排的通知"
MOBILE = "13812345678"


def log_in(open_page, username: str):
    page = open_page("/admin/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    return page


def success_message(page) -> str:
    success = page.locator(".messagelist .success")
    assert success.count() == 1, page.locator("#content-main").inner_text()
    return success.inner_text()


def test_a_record_from_draft_to_portal_with_a_masked_mobile(
    open_page, screenshot, world, site_profile
):
    world.city_edu.index_prefix = "000014349"
    world.city_edu.save()
    general, _ = TopicCategory.objects.get_or_create(name="综合政务", parent=None)
    TopicCategory.objects.get_or_create(name="政务公开", parent=general)

    # The editor drafts the notice and submits it.
    page = log_in(open_page, "editor")
    page.goto("/admin/records/record/add/")
    page.get_by_label("发布机关").select_option(label="示范市教育局")
    page.get_by_label("标题").fill(TITLE)
    page.get_by_label("发文字号").fill("示教发〔2026〕18号")
    page.get_by_label("文种").select_option(label="通知")
    page.get_by_label("主题分类").select_option(label="综合政务\\政务公开")
    page.get_by_label("主题词").fill("教育 招生 咨询")
    page.get_by_label("内容概述").fill("公布2026年义务教育招生咨询的时间和方式。")
    page.get_by_label("成文日期").fill("2026-03-02")
    page.get_by_role("textbox", name="正文").fill(
        f"<p>各位家长：</p><p>招生咨询请联系招生办工作人员，手机 {MOBILE}，工作日9:00至17:00。</p>"
    )
    with page.expect_navigation():
        page.get_by_role("button", name="保存", exact=True).click()
    record = Record.objects.get(title=TITLE)
    assert record.status == Status.DRAFT, page.locator("#content-main").inner_text()
    page.goto(f"/admin/records/record/{record.pk}/change/")
    page.get_by_role("link", name="提交保密审查", exact=True).click()
    with page.expect_navigation():
        page.get_by_role("button", name="提交保密审查", exact=True).click()
    assert success_message(page) == "已提交保密审查。"

    # The reviewer sees the number highlighted, masks it, passes the review and signs off.
    page = log_in(open_page, "reviewer")
    page.goto(f"/admin/records/record/{record.pk}/change/")
    page.get_by_role("link", name="保密审查", exact=True).click()
    finding = page.locator("#pii-review tr.pii-finding")
    assert finding.count() == 1
    assert finding.locator("mark").inner_text() == MOBILE
    assert "手机号" in finding.inner_text()
    assert "138****5678" in finding.inner_text()
    screenshot(page, "admin-record-secrecy-review")
    with page.expect_navigation():
        page.get_by_role("button", name="全部遮蔽", exact=True).click()
    assert success_message(page) == "已遮蔽1处个人信息。"
    assert page.locator("#pii-count").inner_text() == "未发现待处理的个人信息。"
    assert "138****5678" in page.locator("#pii-masked").inner_text()
    for check in SecrecyCheck:
        page.get_by_role("checkbox", name=str(check.label)).check()
    screenshot(page, "admin-record-secrecy-review-masked")
    with page.expect_navigation():
        page.get_by_role("button", name="保密审查", exact=True).click()
    assert success_message(page) == "保密审查通过，待审签。"
    page.get_by_role("link", name="审签发布", exact=True).click()
    with page.expect_navigation():
        page.get_by_role("button", name="审签发布", exact=True).click()
    assert success_message(page) == "已发布，索引号 000014349/2026-00001。"

    # A visitor reads it on the portal: the metadata, and the number masked.
    page = open_page(f"/zfxxgk/records/{record.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == TITLE
    table = page.get_by_role("table", name="信息属性")
    assert table.get_by_role("rowheader", name="索引号").is_visible()
    assert table.get_by_role("cell", name="000014349/2026-00001").is_visible()
    assert table.get_by_role("cell", name="示教发〔2026〕18号").is_visible()
    content = page.content()
    assert "138****5678" in page.get_by_role("main").inner_text()
    assert MOBILE not in content
    screenshot(page, "record-published-masked")
