"""One application from the public form to the 答复书, through the browser.

The applicant applies online; the handler confirms receipt, asks for a
supplement, receives it, consults a third party, records its objection,
extends the deadline with the office head's approval and replies 部分公开; the
applicant then finds the case closed with the reply letter to download.

Live-server tests flush the database, including the seeded calendar, so the
2026 schedule is imported from the notice here.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tests.disclosure_requests.test_workflow import ID_BODY
from tests.workdays.helpers import notice_text
from zwgk.disclosure_requests.choices import Outcome, Status
from zwgk.disclosure_requests.models import DisclosureRequest
from zwgk.disclosure_requests.validators import resident_id_check_character
from zwgk.workdays.actions import do_import_schedule
from zwgk.workdays.notice import parse_notice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHANGHAI = ZoneInfo("Asia/Shanghai")
PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory


def import_2026_schedule():
    parsed = parse_notice(notice_text(2026))
    do_import_schedule(2026, parsed.days, source=parsed.source, acting_user=None)


def take_step(page, button: str, **fields):
    """Click a step on the case page, fill its form (labels → values), submit it."""
    page.get_by_role("link", name=button, exact=True).click()
    for label, value in fields.items():
        control = page.get_by_label(label, exact=True)
        tag = control.evaluate("el => el.tagName")
        if tag == "SELECT":
            control.select_option(label=value)
        elif control.get_attribute("type") == "checkbox":
            control.check()
        else:
            control.fill(value)
    with page.expect_navigation():
        page.get_by_role("button", name=button, exact=True).click()
    success = page.locator(".messagelist .success")
    assert success.count() == 1, page.locator("#content-main").inner_text()
    return success.inner_text()


def test_an_application_from_the_form_to_the_reply(open_page, screenshot, world, site_profile):
    import_2026_schedule()
    with time_machine.travel(datetime(2026, 9, 14, 20, 0, tzinfo=SHANGHAI)) as clock:
        # The applicant applies online in the evening of 14 September.
        page = open_page("/yisqgk/apply/")
        page.get_by_label("受理机关").select_option(label="示范市教育局")
        page.get_by_label("自然人").check()
        page.get_by_label("姓名或名称").fill("张三")
        page.get_by_label("证件类型").select_option(label="居民身份证")
        page.get_by_label("证件号码").fill(ID_BODY + resident_id_check_character(ID_BODY))
        page.get_by_label("联系电话").fill("13812345678")
        page.get_by_label("电子邮箱").fill("zhangsan@example.com")
        page.get_by_label("所需政府信息的名称").fill(
            "示范市教育局2025年义务教育阶段学校布局调整方案"
        )
        with page.expect_navigation():
            page.get_by_role("button", name="提交申请").click()
        codes = page.locator(".credentials dd.code")
        tracking_code, query_password = codes.nth(0).inner_text(), codes.nth(1).inner_text()
        application = DisclosureRequest.objects.get(tracking_code=tracking_code)
        assert application.status == Status.AWAITING_CONFIRMATION

        # The handler works on the case on 20 November, entering each step's own date.
        clock.move_to(datetime(2026, 11, 20, 9, 0, tzinfo=SHANGHAI))
        page = open_page("/admin/login/")
        page.get_by_label("用户名").fill("handler")
        page.get_by_label("密码").fill(PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="登录").click()
        page.goto("/admin/disclosure_requests/disclosurerequest/")
        page.get_by_role("link", name=tracking_code).click()
        assert page.locator("#case-status").inner_text() == "待确认"

        message = take_step(page, "确认收到申请", 确认日期="2026-09-15")
        assert message == "已确认收到申请，答复期限为2026年10月19日。"
        assert "2026年10月19日" in page.locator("#case-due").inner_text()
        take_step(
            page,
            "告知补正",
            补正事项="请明确所需方案的学段（小学或初中）\n请说明所需方案的年份",
            补正期限="2026-09-30",
            告知日期="2026-09-18",
        )
        message = take_step(page, "收到补正", 收到补正日期="2026-09-22")
        assert "2026年10月27日" in message
        take_step(
            page,
            "征求意见",
            类型="征求第三方意见（条例第三十二条）",
            被征求意见方="示范市某培训学校",
            发出日期="2026-10-09",
        )
        assert "暂停计时" in page.locator("#case-due").inner_text()
        take_step(
            page,
            "登记征求意见结果",
            意见="不同意公开",
            **{"意见日期（逾期的为期限届满次日）": "2026-10-20"},
            理由="涉及学校商业秘密",
        )
        message = take_step(
            page,
            "延长答复期限",
            延长工作日数="20",
            延长理由="涉及多个学段，需调取档案",
            **{"批准人（工作机构负责人）": str(world.users.office_head)},
            批准日期="2026-11-02",
        )
        assert "2026年12月07日" in message
        assert "2026年12月7日" in page.locator("#case-due").inner_text()
        assert page.locator("#skipped-days").get_by_text("国庆").count() > 0
        screenshot(page, "admin-application-detail")

        page.get_by_role("link", name="作出答复", exact=True).click()
        page.get_by_label("答复类型").select_option(value=Outcome.PARTLY)
        page.get_by_label("答复日期").fill("2026-11-20")
        page.get_by_label("办理情况摘要").fill("提供方案正文，涉及第三方商业秘密的附件不予公开。")
        page.get_by_label("获取方式").fill("已通过电子邮件发送")
        page.get_by_label("不予公开部分的理由").select_option(value=Outcome.THIRD_PARTY)
        screenshot(page, "admin-application-reply-form")
        with page.expect_navigation():
            page.get_by_role("button", name="作出答复", exact=True).click()
        assert page.locator("#case-status").inner_text() == "已办结"
        assert page.locator("#letters").get_by_text("政府信息公开申请答复书").count() == 1
        screenshot(page, "admin-application-closed")

        # The applicant checks the result.
        page = open_page("/yisqgk/query/")
        page.get_by_label("查询码").fill(tracking_code)
        page.get_by_label("查询密码").fill(query_password)
        with page.expect_navigation():
            page.get_by_role("button", name="查询").click()
        assert page.get_by_text("已办结").first.is_visible()
        assert page.get_by_text("部分公开（区分处理）").first.is_visible()
        reply = page.locator(".letters li", has_text="政府信息公开申请答复书")
        with page.expect_download() as download:
            reply.get_by_role("link", name="下载PDF").click()
        assert download.value.suggested_filename == f"{tracking_code}-政府信息公开申请答复书.pdf"
        screenshot(page, "query-result-closed")
