"""Production settings are safe by default; development needs opting in."""

import os
import subprocess
import sys

import pytest


def run_zwgk(*args, **env):
    # A clean environment: nothing from the test run (settings module, ZWGK_*,
    # the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE) may leak into the command.
    environment = {k: os.environ[k] for k in ("PATH", "HOME", "LANG") if k in os.environ}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "zwgk.cli", *args],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )


def test_production_configuration_passes_check_deploy_without_warnings(tmp_path):
    result = run_zwgk(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        ZWGK_SECRET_KEY="p" * 30 + "-production-secret-" + "q" * 20,
        ZWGK_ALLOWED_HOSTS="gk.example.gov.cn",
        ZWGK_DATA_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_zwgk("check", ZWGK_DATA_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "ZWGK_SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    ("url", "engine"),
    [
        ("postgresql://zwgk@db.internal:5432/zwgk", "django.db.backends.postgresql"),
        ("sqlite:////srv/zwgk/zwgk.sqlite3", "django.db.backends.sqlite3"),
    ],
)
def test_database_url_chooses_the_engine(url, engine, tmp_path):
    result = run_zwgk(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
        ZWGK_DEBUG="1",
        ZWGK_DATABASE_URL=url,
        ZWGK_DATA_DIR=str(tmp_path),
    )
    assert result.stdout.strip().splitlines()[-1] == engine, result.stderr


def test_ui_is_simplified_chinese_in_shanghai_time_with_argon2():
    from zwgk import settings as production

    assert production.LANGUAGE_CODE == "zh-hans"
    assert production.TIME_ZONE == "Asia/Shanghai"
    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
