"""索引号: templates, per-agency per-year serials, no duplicates and no gaps (rules.md §2)."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, transaction

from tests.factories import AgencyFactory
from zwgk.records import actions
from zwgk.records.indexnum import next_index_number, render_index_number, validate_index_template
from zwgk.records.models import IndexNumberTemplate, IndexSerial


@pytest.mark.parametrize(
    ("template", "fields", "serial", "expected"),
    [
        ("{org_code}/{year}-{serial:05d}", {"org_code": "000014349"}, 222, "000014349/2018-00222"),
        ("{prefix}-{year}-{serial:06d}", {"index_prefix": "KZ044"}, 180, "KZ044-2018-000180"),
        (
            "{credit_code}/{year}-{serial:05d}",
            {"credit_code": "113708280043326001"},
            2411,
            "113708280043326001/2018-02411",
        ),
        (
            "{prefix}-{year}-{serial}",
            {"index_prefix": "01527918X"},
            153077,
            "01527918X-2018-153077",
        ),
    ],
)
def test_rules_md_examples(template, fields, serial, expected):
    agency = AgencyFactory.build(**fields)
    assert render_index_number(template, agency, 2018, serial) == expected


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{org}/{year}-{serial:05d}", "未知占位符：{org}"),
        ("{prefix}-{serial:05d}", "必须包含{year}"),
        ("{prefix}-{year}", "必须包含{serial}"),
        ("{prefix}-{year}-{serial:05d", "格式错误"),
        ("{prefix}-{year}-{serial:q}", "格式说明有误"),
        ("{prefix.upper}-{year}-{serial}", "未知占位符"),
    ],
)
def test_template_validation_in_chinese(template, message):
    with pytest.raises(ValidationError, match=message.replace("{", r"\{").replace("}", r"\}")):
        validate_index_template(template)


def test_a_missing_agency_code_is_reported(world):
    with pytest.raises(ValidationError, match="未填写索引号前缀"):
        render_index_number("{prefix}-{year}-{serial}", world.city_fin, 2026, 1)


def test_serials_per_agency_per_year_restart_each_year(rworld):
    edu, county = rworld.city_edu, rworld.county_edu
    with transaction.atomic():
        assert next_index_number(edu, 2026) == "000014349/2026-00001"
        assert next_index_number(edu, 2026) == "000014349/2026-00002"
        assert next_index_number(county, 2026) == "KZ044/2026-00001"
        assert next_index_number(edu, 2027) == "000014349/2027-00001"
        assert next_index_number(edu, 2026) == "000014349/2026-00003"
    assert IndexSerial.objects.get(agency=edu, year=2026).last == 3


def test_the_agency_template_is_used(rworld):
    actions.do_save_index_template(
        rworld.county_edu, "{prefix}-{year}-{serial:06d}", acting_user=None
    )
    with transaction.atomic():
        assert next_index_number(rworld.county_edu, 2018) == "KZ044-2018-000001"


def test_saving_a_template_needs_the_office_head(rworld):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.do_save_index_template(
            rworld.city_edu, "{prefix}-{year}-{serial}", acting_user=rworld.users.editor
        )
    row = actions.do_save_index_template(
        rworld.city_edu, "{prefix}-{year}-{serial}", acting_user=rworld.users.office_head
    )
    assert IndexNumberTemplate.objects.get(agency=rworld.city_edu) == row


def test_rollback_leaves_no_gap(rworld):
    edu = rworld.city_edu

    class Boom(Exception):
        pass

    with transaction.atomic():
        assert next_index_number(edu, 2026).endswith("-00001")
    with pytest.raises(Boom), transaction.atomic():
        assert next_index_number(edu, 2026).endswith("-00002")
        raise Boom
    with transaction.atomic():
        assert next_index_number(edu, 2026).endswith("-00002")


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_is_refused(rworld):
    with pytest.raises(RuntimeError):
        next_index_number(rworld.city_edu, 2026)


@pytest.mark.django_db(transaction=True)
def test_concurrent_publishers_never_share_a_serial(world):
    """Eight threads take serials at once; each number comes out exactly once, without gaps.

    PostgreSQL makes the second publisher wait on the locked counter row.  The
    in-memory SQLite test database (shared cache) refuses a conflicting
    transaction instead ("database table is locked"); the publisher retries,
    and the rolled-back attempt must not have used up a serial.
    """
    agency = world.city_edu
    agency.index_prefix = "P"
    agency.save()
    results, errors = [], []

    def take():
        try:
            for _ in range(5):
                for _attempt in range(200):
                    try:
                        with transaction.atomic():
                            number = next_index_number(agency, 2026)
                    except OperationalError as exc:
                        if "locked" not in str(exc):
                            raise
                        time.sleep(0.005)
                    else:
                        results.append(number)
                        break
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(results) == [f"P/2026-{n:05d}" for n in range(1, 41)]
