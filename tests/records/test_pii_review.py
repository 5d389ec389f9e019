"""去标识化 in 保密审查: findings, dispositions, masks, attachments, audit."""

import json
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.records.conftest import ALL_CLEAR, record_fields
from tests.records.test_admin import step_url
from tests.records.test_attachments import docx_bytes, upload
from zwgk.audit.models import AuditEvent
from zwgk.disclosure_requests.validators import resident_id_check_character
from zwgk.records import actions, deidentify, pii
from zwgk.records.choices import Status
from zwgk.records.models import Record

ID_BODY = "11010119900307123"
ID_NUMBER = ID_BODY + resident_id_check_character(ID_BODY)
ID_MASKED = f"110101********{ID_NUMBER[-4:]}"
MOBILE = "13812345678"
BODY = (
    f"<p>申请人：张三，公民身份号码：<strong>{ID_NUMBER}</strong>，联系电话：{MOBILE}。</p>"
    "<p>经审查，决定予以答复。</p>"
)


@pytest.fixture
def in_review(rworld, topic):
    record = actions.do_create_record(
        rworld.city_edu, record_fields(topic, body=BODY), acting_user=rworld.users.editor
    )
    return actions.do_submit_for_review(record, acting_user=rworld.users.editor)


def keys(record):
    return {f.finding.kind.value: f.key for f in deidentify.review_findings(record)}


def raw_values_absent(text: str) -> None:
    assert ID_NUMBER not in text
    assert MOBILE not in text
    assert "张三" not in text


# ---------------------------------------------------------------- scanning


def test_submit_scans_and_the_audit_counts_the_findings(in_review):
    found = deidentify.review_findings(in_review)
    assert [(f.location, f.finding.kind.value, f.text) for f in found] == [
        ("body", "person_name", "张三"),
        ("body", "resident_id", ID_NUMBER),
        ("body", "mobile", MOBILE),
    ]
    mobile = found[2]
    assert mobile.before.endswith("联系电话：") and len(mobile.before) == deidentify.CONTEXT
    assert mobile.after.startswith("。 经审查")  # paragraph breaks shown as spaces
    event = AuditEvent.objects.get(action="records.submit", object_id=str(in_review.pk))
    assert "发现可能的个人信息3处" in event.summary


def test_title_summary_and_attachments_are_scanned(rworld, topic):
    record = actions.do_create_record(
        rworld.city_edu,
        record_fields(topic, title="关于户主 李四 申请的答复", summary=f"联系手机{MOBILE}"),
        acting_user=rworld.users.editor,
    )
    actions.do_add_attachment(
        record,
        upload("名单.docx", docx_bytes("举报人：王五，电话13912345678")),
        acting_user=rworld.users.editor,
    )
    found = deidentify.review_findings(record)
    assert [(f.place, f.kind_label, f.text) for f in found] == [
        ("标题", "姓名", "李四"),
        ("内容概述", "手机号", MOBILE),
        ("附件“名单.docx”", "姓名", "王五"),
        ("附件“名单.docx”", "手机号", "13912345678"),
    ]


def test_body_text_is_scanned_without_markup_and_masked_inside_text_nodes():
    raw = (
        '<p align="center">申请人：<b>张三</b></p>'
        "<table><tr><th>序号</th><th>姓名</th><th>住址</th></tr>"
        "<tr><td>1</td><td>李四</td><td>某村</td></tr></table>"
        '<p>A &amp; B &lt;a title="x"&gt; 手机 138<em>1234</em>5678</p>'
        '<p><a href="mailto:x@example.com" title="13900001111">链接</a></p>'
    )
    parsed = deidentify.html_text(raw)
    assert parsed.text.startswith("申请人：张三\n序号\t姓名\t住址\n1\t李四\t某村\n")
    assert '<a title="x">' in parsed.text  # entities unescaped for scanning
    findings = pii.scan(parsed.text)
    assert {f.text for f in findings} == {"张三", "李四", MOBILE}  # never an attribute
    masked = deidentify.mask_html(raw, findings)
    tags = re.compile(r"<[^>]+>")
    assert tags.findall(masked) == tags.findall(raw)  # the structure is untouched
    assert "<b>张**</b>" in masked and "<td>李**</td>" in masked
    assert "138****5678<em></em>" in masked
    assert 'A &amp; B &lt;a title="x"&gt;' in masked
    assert 'title="13900001111"' in masked  # attributes are markup, not text


# ---------------------------------------------------------------- the action


def test_review_is_refused_until_every_finding_is_disposed(in_review, rworld):
    reviewer = rworld.users.reviewer
    with pytest.raises(ValidationError, match="还有3处个人信息未处理"):
        actions.do_secrecy_review(in_review, checklist=ALL_CLEAR, acting_user=reviewer)
    only_mobile = {keys(in_review)["mobile"]: ("mask", "")}
    with pytest.raises(ValidationError, match="还有2处个人信息未处理"):
        actions.do_secrecy_review(
            in_review, checklist=ALL_CLEAR, dispositions=only_mobile, acting_user=reviewer
        )
    stale = {"body/mobile:1:000000000000": ("mask", "")}
    with pytest.raises(ValidationError, match="还有3处"):
        actions.do_secrecy_review(
            in_review, checklist=ALL_CLEAR, dispositions=stale, acting_user=reviewer
        )
    record = Record.objects.get(pk=in_review.pk)
    assert record.status == Status.SECRECY_REVIEW
    assert record.body == BODY  # nothing applied by a refused review


def test_keeping_needs_a_reason_and_is_recorded(in_review, rworld):
    reviewer = rworld.users.reviewer
    k = keys(in_review)
    decisions = {
        k["person_name"]: ("keep", "  "),
        k["resident_id"]: ("mask", ""),
        k["mobile"]: ("mask", ""),
    }
    with pytest.raises(ValidationError, match="须说明理由"):
        actions.do_secrecy_review(
            in_review, checklist=ALL_CLEAR, dispositions=decisions, acting_user=reviewer
        )
    decisions[k["person_name"]] = ("keep", "行政处罚决定依法公示当事人姓名")
    record = actions.do_secrecy_review(
        in_review, checklist=ALL_CLEAR, dispositions=decisions, acting_user=reviewer
    )
    assert record.status == Status.AWAITING_APPROVAL
    assert "申请人：张三" in record.body
    assert ID_MASKED in record.body and ID_NUMBER not in record.body
    assert "138****5678" in record.body
    kept = [r for r in record.pii_dispositions if r["decision"] == "keep"]
    assert kept == [
        {
            **kept[0],
            "kind": "person_name",
            "reason": "行政处罚决定依法公示当事人姓名",
            "reviewer_id": reviewer.pk,
            "masked": "张**",
        }
    ]
    event = AuditEvent.objects.get(action="records.secrecy_review", object_id=str(record.pk))
    logged = event.changes["pii_dispositions"]
    assert {(r["kind"], r["decision"]) for r in logged} == {
        ("person_name", "keep"),
        ("resident_id", "mask"),
        ("mobile", "mask"),
    }
    assert all(r["reviewer"] == str(reviewer) and r["at"] for r in logged)
    dumped = json.dumps(event.changes, ensure_ascii=False)
    assert ID_NUMBER not in dumped and MOBILE not in dumped
    # no hash of a masked value either (a truncated SHA-256 of a mobile is easily reversed)
    assert all("digest" not in r for r in logged if r["decision"] == "mask")


def test_mask_all_then_review_then_publish(in_review, rworld):
    reviewer = rworld.users.reviewer
    rows = actions.do_mask_personal_info(in_review, acting_user=reviewer)
    assert {r["kind"] for r in rows} == {"person_name", "resident_id", "mobile"}
    record = Record.objects.get(pk=in_review.pk)
    assert record.status == Status.SECRECY_REVIEW
    assert deidentify.review_findings(record) == []
    with pytest.raises(ValidationError, match="没有未处理的个人信息"):
        actions.do_mask_personal_info(record, acting_user=reviewer)
    record = actions.do_secrecy_review(record, checklist=ALL_CLEAR, acting_user=reviewer)
    record = actions.do_approve(record, acting_user=reviewer)
    assert record.status == Status.PUBLISHED
    assert record.body == (
        f"<p>申请人：张**，公民身份号码：<strong>{ID_MASKED}</strong>，"
        "联系电话：138****5678。</p><p>经审查，决定予以答复。</p>"
    )
    version = record.versions.get()
    raw_values_absent(json.dumps(version.data, ensure_ascii=False))
    for event in AuditEvent.objects.filter(action__in=["records.pii_mask", "records.publish"]):
        raw_values_absent(json.dumps(event.changes, ensure_ascii=False) + event.summary)


def test_the_drafter_may_not_mask_their_own_record(in_review, rworld):
    with pytest.raises(PermissionDenied):
        actions.do_mask_personal_info(in_review, acting_user=rworld.users.editor)


def test_attachment_findings_to_mask_block_the_review_until_replaced(rworld, topic):
    editor, reviewer = rworld.users.editor, rworld.users.reviewer
    record = actions.do_create_record(rworld.city_edu, record_fields(topic), acting_user=editor)
    attachment = actions.do_add_attachment(
        record, upload("名单.docx", docx_bytes("联系电话：13912345678")), acting_user=editor
    )
    record = actions.do_submit_for_review(record, acting_user=editor)
    rows = actions.do_mask_personal_info(record, acting_user=reviewer)  # 全部遮蔽
    assert [(r["place"], r["decision"]) for r in rows] == [("附件“名单.docx”", "mask")]
    with pytest.raises(ValidationError, match=re.escape("附件“名单.docx”中有1处个人信息须遮蔽")):
        actions.do_secrecy_review(record, checklist=ALL_CLEAR, acting_user=reviewer)

    # Back to the drafter, who replaces the attachment with a de-identified copy.
    record = actions.do_return_record(record, reason="附件含手机号，请替换", acting_user=reviewer)
    assert record.pii_dispositions == []
    actions.do_remove_attachment(attachment, acting_user=editor)
    actions.do_add_attachment(
        record, upload("名单.docx", docx_bytes("联系电话：139****5678")), acting_user=editor
    )
    record = actions.do_submit_for_review(record, acting_user=editor)
    assert deidentify.review_findings(record) == []
    record = actions.do_secrecy_review(record, checklist=ALL_CLEAR, acting_user=reviewer)
    assert record.status == Status.AWAITING_APPROVAL


def test_an_attachment_finding_may_be_kept_with_a_reason(rworld, topic):
    editor, reviewer = rworld.users.editor, rworld.users.reviewer
    record = actions.do_create_record(rworld.city_edu, record_fields(topic), acting_user=editor)
    actions.do_add_attachment(
        record, upload("处罚决定书.docx", docx_bytes("当事人：王五")), acting_user=editor
    )
    record = actions.do_submit_for_review(record, acting_user=editor)
    (key,) = keys(record).values()
    record = actions.do_secrecy_review(
        record,
        checklist=ALL_CLEAR,
        dispositions={key: ("keep", "行政处罚决定依法公示当事人姓名")},
        acting_user=reviewer,
    )
    assert record.status == Status.AWAITING_APPROVAL


# ---------------------------------------------------------------- the page


def test_review_page_highlights_findings_and_mask_all_masks_them(client, in_review, rworld):
    client.force_login(rworld.users.reviewer)
    url = step_url(in_review, "secrecy_review")
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert f"<mark>{MOBILE}</mark>" in html
    assert "联系电话：" in html and "138****5678" in html  # context and the masked preview
    assert 'value="全部遮蔽"' in html
    assert html.count('class="pii-finding') == 3

    response = client.post(url, {"_mask_all": "全部遮蔽"})  # no checklist needed for this
    assert response.status_code == 302 and response.url == url
    record = Record.objects.get(pk=in_review.pk)
    assert "138****5678" in record.body and MOBILE not in record.body
    html = client.get(url).content.decode()
    assert "未发现待处理的个人信息" in html
    assert 'id="pii-masked"' in html and ID_MASKED in html
    assert MOBILE not in html

    response = client.post(url, dict.fromkeys(ALL_CLEAR, "on"))
    assert response.status_code == 302
    assert Record.objects.get(pk=in_review.pk).status == Status.AWAITING_APPROVAL


def test_review_page_asks_for_the_reason_of_a_keep(client, in_review, rworld):
    client.force_login(rworld.users.reviewer)
    url = step_url(in_review, "secrecy_review")
    k = keys(in_review)
    data = {
        **dict.fromkeys(ALL_CLEAR, "on"),
        f"decision:{k['person_name']}": "keep",
        f"decision:{k['resident_id']}": "mask",
        f"decision:{k['mobile']}": "mask",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "保留须说明理由" in response.content.decode()
    assert Record.objects.get(pk=in_review.pk).status == Status.SECRECY_REVIEW

    del data[f"decision:{k['mobile']}"]
    data[f"reason:{k['person_name']}"] = "行政处罚决定依法公示当事人姓名"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "还有1处个人信息未处理" in response.content.decode()

    # 全部遮蔽 keeps the decisions taken on the page and masks the rest.
    response = client.post(url, {**data, "_mask_all": "全部遮蔽"})
    assert response.status_code == 302
    record = Record.objects.get(pk=in_review.pk)
    assert "申请人：张三" in record.body and "138****5678" in record.body
    html = client.get(url).content.decode()
    assert "行政处罚决定依法公示当事人姓名" in html  # the stored keep shows on the page
    response = client.post(url, dict.fromkeys(ALL_CLEAR, "on"))
    assert response.status_code == 302
    record = Record.objects.get(pk=in_review.pk)
    assert record.status == Status.AWAITING_APPROVAL
    assert "申请人：张三" in record.body
