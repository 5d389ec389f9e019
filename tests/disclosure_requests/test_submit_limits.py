"""Public submission: tracking-code collisions are retried; rate limits hold on Redis."""

import pytest
from django.core.cache import caches
from django.db import IntegrityError
from django.test import override_settings

from tests.disclosure_requests.test_public_api import body, post
from tests.disclosure_requests.test_workflow import fields
from zwgk.audit.models import AuditEvent
from zwgk.disclosure_requests import actions
from zwgk.disclosure_requests.models import DisclosureRequest, RequestEvent
from zwgk.disclosure_requests.validators import resident_id_check_character


def _codes(monkeypatch, codes):
    it = iter(codes)
    real = actions._new_tracking_code
    monkeypatch.setattr(actions, "_new_tracking_code", lambda: next(it, None) or real())


@pytest.mark.parametrize("dbfix", ["db", "transactional_db"])
def test_taken_code_is_retried(request, world, monkeypatch, dbfix):
    request.getfixturevalue(dbfix)
    first, _ = actions.do_submit_online(world.city_edu, fields())
    _codes(monkeypatch, [first.tracking_code, first.tracking_code])
    second, password = actions.do_submit_online(world.city_edu, fields())
    assert second.tracking_code != first.tracking_code
    assert DisclosureRequest.objects.count() == 2
    assert RequestEvent.objects.filter(request=second).count() == 1
    assert AuditEvent.objects.filter(object_id=str(second.pk)).count() == 1
    assert actions.find_for_applicant(second.tracking_code, password) == second


def test_always_taken_gives_up(world, monkeypatch):
    first, _ = actions.do_submit_online(world.city_edu, fields())
    monkeypatch.setattr(actions, "_new_tracking_code", lambda: first.tracking_code)
    with pytest.raises(IntegrityError):
        actions.do_submit_online(world.city_edu, fields())
    assert DisclosureRequest.objects.count() == 1


REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/5",
        "KEY_PREFIX": "retrytest",
    }
}


def redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS["default"]["LOCATION"]).ping())
    except Exception:
        return False


@pytest.mark.skipif(not redis_available(), reason="no Redis at 127.0.0.1:6379")
@override_settings(CACHES=REDIS)
def test_limits_hold_with_redis(client, world):
    """The production cache path: counters expire and limits apply (5/IP/hour, 3/ID/day)."""
    cache = caches["default"]
    cache.clear()
    try:
        ip = {"HTTP_X_FORWARDED_FOR": "10.9.9.9"}
        with override_settings(AXES_IPWARE_PROXY_COUNT=1):
            for n in range(5):
                b = f"11010119900101{n:03d}"
                r = post(client, body(world, id_number=b + resident_id_check_character(b)), **ip)
                assert r.status_code == 201, r.content
            b = "11010119900101999"
            r = post(client, body(world, id_number=b + resident_id_check_character(b)), **ip)
            assert r.status_code == 429
            assert cache.get("disclosure_requests:rl:submit-ip:10.9.9.9") == 5
            key = cache.make_and_validate_key("disclosure_requests:rl:submit-ip:10.9.9.9")
            ttl = cache._cache.get_client().ttl(key)
            assert 3500 < ttl <= 3600
            # identity: 3 a day from different addresses
            b = "11010119900101777"
            idn = b + resident_id_check_character(b)
            codes = [
                post(
                    client, body(world, id_number=idn), HTTP_X_FORWARDED_FOR=f"10.8.8.{n}"
                ).status_code
                for n in range(4)
            ]
            assert codes == [201, 201, 201, 429]
            assert cache.get(f"disclosure_requests:rl:submit-id:{idn}") == 3
    finally:
        cache.clear()
