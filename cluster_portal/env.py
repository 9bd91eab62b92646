"""Typed readers for environment variables.

Every setting comes from the environment through these helpers. A value that
cannot be read as its type stops the process at start-up with a message that
names the variable, instead of running with a silently wrong setting.
"""

import os
import re
from collections.abc import Mapping
from urllib.parse import parse_qs, unquote, urlsplit

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class EnvError(ValueError):
    """A variable is missing or holds a value of the wrong type."""


_MISSING = object()


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    return (os.environ if environ is None else environ).get(name)


def env_str(name: str, default: object = _MISSING, *, environ=None) -> str:
    value = _raw(name, environ)
    if value is None:
        if default is _MISSING:
            raise EnvError(f"{name} must be set.")
        return default  # type: ignore[return-value]
    return value


def env_bool(name: str, default: bool, *, environ=None) -> bool:
    value = _raw(name, environ)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise EnvError(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int, *, minimum: int | None = None, environ=None) -> int:
    value = _raw(name, environ)
    if value is None:
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise EnvError(f"{name} must be a whole number, not {value!r}.") from None
    if minimum is not None and number < minimum:
        raise EnvError(f"{name} must be at least {minimum}, not {number}.")
    return number


def env_list(name: str, default: list[str], *, environ=None) -> list[str]:
    """A comma-separated list; blank items are dropped."""
    value = _raw(name, environ)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, default: str, choices: list[str], *, environ=None) -> str:
    value = env_str(name, default, environ=environ)
    if value not in choices:
        raise EnvError(f"{name} must be one of {', '.join(choices)}, not {value!r}.")
    return value


_BUCKET_NAME = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_STORAGE_FORM = "s3://ACCESS_KEY:SECRET@HOST:PORT/BUCKET?region=REGION&secure=false"


def env_storage_url(name: str, *, environ=None) -> dict | None:
    """An S3-compatible bucket as ``s3://KEY:SECRET@HOST[:PORT]/BUCKET?region=R&secure=false``,
    read into the options of ``core.storage.PrivateS3Storage``; None when empty (the disk).

    Key and secret are percent-decoded. ``secure=false`` speaks http (a bucket on loopback);
    the default is https. The region defaults to us-east-1. Messages never repeat the secret.
    """
    value = (_raw(name, environ) or "").strip()
    if not value:
        return None

    def refuse(why: str) -> EnvError:
        return EnvError(f"{name} must look like {_STORAGE_FORM}: {why}.")

    parts = urlsplit(value)
    if parts.scheme != "s3":
        raise refuse("it must start with s3://")
    if not parts.username or parts.password is None or not parts.password:
        raise refuse("the access key and the secret are missing")
    if not parts.hostname:
        raise refuse("the host is missing")
    try:
        parts.port  # noqa: B018 - urlsplit checks the port only when asked
    except ValueError:
        raise refuse("the port is not a number from 1 to 65535") from None
    bucket = parts.path.strip("/")
    if not _BUCKET_NAME.fullmatch(bucket):
        raise refuse(
            "the bucket (the path) must be 3 to 63 lowercase letters, digits, dots or hyphens"
        )
    query = parse_qs(parts.query, keep_blank_values=True)
    unknown = sorted(set(query) - {"region", "secure"})
    if unknown:
        raise refuse(f"unknown option {unknown[0]!r} (only region and secure)")
    secure = query.get("secure", ["true"])[-1].strip().lower()
    if secure not in _TRUE | (_FALSE - {""}):
        raise refuse("secure must be true or false")
    region = query.get("region", ["us-east-1"])[-1].strip() or "us-east-1"
    scheme = "https" if secure in _TRUE else "http"
    return {
        "access_key": unquote(parts.username),
        "secret_key": unquote(parts.password),
        "endpoint_url": f"{scheme}://{parts.netloc.rpartition('@')[2]}",
        "bucket_name": bucket,
        "region_name": region,
        "use_ssl": scheme == "https",
    }
