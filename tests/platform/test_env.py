"""The typed environment readers, and the settings they feed in production."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from cluster_portal.env import (
    EnvError,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_storage_url,
    env_str,
)

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DEBUG": "False",
    "ALLOWED_HOSTS": "portal.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "EMAIL_HOST": "smtp.example.org",
    "EMAIL_HOST_USER": "portal",
    "EMAIL_HOST_PASSWORD": "smtp-password",
    "DEFAULT_FROM_EMAIL": "Health Cluster Portal <portal@example.org>",
    "SECURE_SSL_REDIRECT": "True",
    "TIME_ZONE": "Asia/Gaza",
}
# Every variable the settings read, so a developer's own environment cannot leak in: read
# from the settings module itself, so a variable added there is covered here at once.
SETTINGS_VARIABLES = {
    *PRODUCTION,
    *re.findall(
        r'env_(?:str|int|bool|list|choice|storage_url)\(\s*"([A-Z0-9_]+)"',
        (ROOT / "cluster_portal" / "settings.py").read_text(),
    ),
    "DJANGO_SETTINGS_MODULE",
    # Set by tests/browser/conftest.py for Playwright; never present in a deployment.
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def clean_environment(**variables: str) -> dict[str, str]:
    environ = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    environ["DJANGO_SETTINGS_MODULE"] = "cluster_portal.settings"
    environ.update(variables)
    return environ


@pytest.mark.parametrize("text", ["1", "true", "True", "YES", "on", " true "])
def test_env_bool_reads_true(text):
    assert env_bool("FLAG", False, environ={"FLAG": text}) is True


@pytest.mark.parametrize("text", ["0", "false", "False", "no", "OFF", ""])
def test_env_bool_reads_false(text):
    assert env_bool("FLAG", True, environ={"FLAG": text}) is False


def test_env_bool_falls_back_to_its_default_when_unset():
    assert env_bool("FLAG", True, environ={}) is True
    assert env_bool("FLAG", False, environ={}) is False


def test_env_bool_rejects_a_word_it_does_not_know_and_names_the_variable():
    with pytest.raises(EnvError, match=r"^FLAG must be true or false, not 'maybe'"):
        env_bool("FLAG", False, environ={"FLAG": "maybe"})


def test_env_int_reads_a_whole_number():
    assert env_int("WORKERS", 1, environ={"WORKERS": " 12 "}) == 12
    assert env_int("WORKERS", 3, environ={}) == 3


@pytest.mark.parametrize("text", ["ten", "1.5", "", "1e3"])
def test_env_int_rejects_what_is_not_a_whole_number(text):
    with pytest.raises(EnvError, match=r"^WORKERS must be a whole number"):
        env_int("WORKERS", 1, environ={"WORKERS": text})


def test_env_int_rejects_a_number_below_its_minimum():
    with pytest.raises(EnvError, match=r"^WORKERS must be at least 1, not 0"):
        env_int("WORKERS", 1, minimum=1, environ={"WORKERS": "0"})


def test_env_list_splits_on_commas_and_drops_blank_items():
    hosts = env_list("HOSTS", [], environ={"HOSTS": " a.example.org, ,b.example.org,"})
    assert hosts == ["a.example.org", "b.example.org"]


def test_env_list_returns_a_copy_of_its_default():
    default = ["localhost"]
    hosts = env_list("HOSTS", default, environ={})
    hosts.append("evil.example.org")
    assert default == ["localhost"]


def test_env_str_without_a_default_requires_the_variable():
    with pytest.raises(EnvError, match=r"^SECRET_KEY must be set"):
        env_str("SECRET_KEY", environ={})
    assert env_str("SECRET_KEY", environ={"SECRET_KEY": "abc"}) == "abc"


def test_env_choice_accepts_a_listed_value_and_rejects_others():
    levels = ["DEBUG", "INFO", "WARNING"]
    assert env_choice("LOG_LEVEL", "INFO", levels, environ={"LOG_LEVEL": "DEBUG"}) == "DEBUG"
    assert env_choice("LOG_LEVEL", "INFO", levels, environ={}) == "INFO"
    with pytest.raises(EnvError, match=r"^LOG_LEVEL must be one of DEBUG, INFO, WARNING"):
        env_choice("LOG_LEVEL", "INFO", levels, environ={"LOG_LEVEL": "LOUD"})


def test_env_storage_url_reads_a_bucket_with_its_key_and_secret_percent_decoded():
    url = "s3://AK%2FID:se%40cr%2Bet@127.0.0.1:9000/cluster-files?region=eu-west-1&secure=false"
    assert env_storage_url("STORAGE_URL", environ={"STORAGE_URL": url}) == {
        "access_key": "AK/ID",
        "secret_key": "se@cr+et",
        "endpoint_url": "http://127.0.0.1:9000",
        "bucket_name": "cluster-files",
        "region_name": "eu-west-1",
        "use_ssl": False,
    }


def test_env_storage_url_speaks_https_in_us_east_1_unless_told_otherwise():
    options = env_storage_url("STORAGE_URL", environ={"STORAGE_URL": "s3://k:s@files.example/b-1"})
    assert options["endpoint_url"] == "https://files.example"
    assert options["use_ssl"] is True
    assert options["region_name"] == "us-east-1"


@pytest.mark.parametrize("value", [None, "", "  "])
def test_env_storage_url_empty_means_the_disk(value):
    environ = {} if value is None else {"STORAGE_URL": value}
    assert env_storage_url("STORAGE_URL", environ=environ) is None


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ("http://k:s@host:9000/bucket", "it must start with s3://"),
        ("s3://host:9000/bucket", "the access key and the secret are missing"),
        ("s3://k@host:9000/bucket", "the access key and the secret are missing"),
        ("s3://k:s@:9000/bucket", "the host is missing"),
        ("s3://k:s@host:nine/bucket", "the port is not a number"),
        ("s3://k:s@host:9000/", "the bucket (the path) must be"),
        ("s3://k:s@host:9000/Bucket_Name", "the bucket (the path) must be"),
        ("s3://k:s@host:9000/a/b", "the bucket (the path) must be"),
        ("s3://k:s@host:9000/bucket?secure=maybe", "secure must be true or false"),
        ("s3://k:s@host:9000/bucket?acl=public-read", "unknown option 'acl'"),
    ],
)
def test_env_storage_url_refuses_a_malformed_value_without_repeating_the_secret(value, why):
    with pytest.raises(EnvError, match=r"^STORAGE_URL must look like s3://") as refused:
        env_storage_url("STORAGE_URL", environ={"STORAGE_URL": value})
    assert why in str(refused.value)
    assert ":s@" not in str(refused.value)


def test_settings_refuse_a_malformed_storage_url_naming_the_variable():
    result = run_python(
        "import cluster_portal.settings", clean_environment(STORAGE_URL="s3://k:s@host/B")
    )
    assert result.returncode != 0
    assert "EnvError: STORAGE_URL must look like s3://" in result.stderr


def run_python(code: str, environ: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_settings_refuse_to_load_in_production_without_a_secret_key():
    result = run_python("import cluster_portal.settings", clean_environment(**PRODUCTION))
    assert result.returncode != 0
    assert "EnvError: SECRET_KEY must be set." in result.stderr


def test_settings_refuse_a_short_secret_key_in_production():
    environ = clean_environment(**PRODUCTION, SECRET_KEY="short")
    result = run_python("import cluster_portal.settings", environ)
    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50 characters" in result.stderr


def test_settings_refuse_a_malformed_boolean_naming_the_variable():
    environ = clean_environment(DEBUG="perhaps")
    result = run_python("import cluster_portal.settings", environ)
    assert result.returncode != 0
    assert "DEBUG must be true or false, not 'perhaps'" in result.stderr


@pytest.mark.parametrize(
    "storage", ["", "s3://portal:s3cret@files.example.org/cluster-files?region=eu-west-1"]
)
def test_deploy_check_under_production_variables_warns_only_about_hsts_opt_ins(storage):
    """W005 (subdomains) and W021 (preload) are deliberate: both are one-way decisions for the
    operator of the domain, so they stay opt-in through environment variables. The same holds
    with the files in a bucket."""
    environ = clean_environment(
        **PRODUCTION, SECRET_KEY=secrets.token_urlsafe(45), STORAGE_URL=storage
    )
    assert len(environ["SECRET_KEY"]) == 60
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    warnings = set(re.findall(r"\((\w+\.[WE]\d+)\)", output))
    assert warnings == {"security.W005", "security.W021"}, output
    assert result.returncode == 0, output


def test_the_database_connections_hash_in_32_megabytes_without_jit(db):
    """The dashboards' grouped scans spilled to disk at PostgreSQL's default 4 MB."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        work_mem = cursor.fetchone()[0]
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
    assert (work_mem, jit) == ("32MB", "off")


def test_settings_refuse_a_work_mem_that_is_not_a_size():
    environ = clean_environment(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres", DATABASE_WORK_MEM="32MB; x"
    )
    result = run_python("import cluster_portal.settings", environ)
    assert result.returncode != 0
    assert "DATABASE_WORK_MEM must be a size such as 32MB." in result.stderr


DATABASE_SETTINGS = (
    "import json; from django.conf import settings as s; d = s.DATABASES['default']; "
    "print(json.dumps([d['ENGINE'], d['CONN_MAX_AGE'], d['OPTIONS']]))"
)


def test_behind_pgbouncer_the_portal_keeps_no_pool_and_prepares_no_statements():
    environ = clean_environment(
        DATABASE_URL="postgres://postgres@127.0.0.1:6432/portal", DATABASE_PGBOUNCER="true"
    )
    result = run_python(DATABASE_SETTINGS, environ)
    assert result.returncode == 0, result.stderr
    # No "options" either: PgBouncer refuses that startup parameter.
    assert json.loads(result.stdout) == ["cluster_portal.pgbouncer", 0, {"prepare_threshold": None}]


def test_without_pgbouncer_the_portal_pools_its_own_connections():
    environ = clean_environment(DATABASE_URL="postgres://postgres@127.0.0.1:5432/portal")
    engine, conn_max_age, options = json.loads(run_python(DATABASE_SETTINGS, environ).stdout)
    assert (engine, conn_max_age) == ("django.db.backends.postgresql", 0)
    assert options["pool"]["max_size"] == 10
    assert "prepare_threshold" not in options
    assert options["options"] == "-c jit=off -c work_mem=32MB"


def test_settings_refuse_a_pool_of_their_own_behind_pgbouncer():
    environ = clean_environment(
        DATABASE_URL="postgres://postgres@127.0.0.1:6432/portal",
        DATABASE_PGBOUNCER="true",
        DATABASE_POOL="true",
    )
    result = run_python("import cluster_portal.settings", environ)
    assert result.returncode != 0
    assert "DATABASE_POOL must be off with DATABASE_PGBOUNCER" in result.stderr


def test_settings_refuse_a_malformed_pgbouncer_flag_naming_the_variable():
    environ = clean_environment(DATABASE_PGBOUNCER="transaction")
    result = run_python("import cluster_portal.settings", environ)
    assert result.returncode != 0
    assert "DATABASE_PGBOUNCER must be true or false, not 'transaction'" in result.stderr


def test_make_run_links_its_emails_to_the_port_it_serves_on():
    """With PORT=8123 the portal's emails linked to port 8000 while it served on 8123."""
    result = subprocess.run(
        ["make", "-n", "run", "PORT=8123"],
        cwd=ROOT,
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    serve = [line for line in result.stdout.splitlines() if "manage.py runserver" in line]
    assert serve == [
        "SITE_URL=${SITE_URL:-http://127.0.0.1:8123} .venv/bin/python manage.py runserver "
        "127.0.0.1:8123"
    ]
