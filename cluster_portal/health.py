"""Checks behind /healthz: can the portal reach its database and, when configured, Redis?"""

import redis
from django.conf import settings
from django.db import connection

OK = "ok"
NOT_CONFIGURED = "not configured"


def database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        return f"error: {type(error).__name__}"
    return OK


def redis_state() -> str:
    if not settings.REDIS_URL:
        return NOT_CONFIGURED
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    except redis.RedisError as error:
        return f"error: {type(error).__name__}"
    finally:
        client.close()
    return OK


def health_report() -> tuple[dict[str, str], bool]:
    checks = {"database": database_state(), "redis": redis_state()}
    healthy = all(state in (OK, NOT_CONFIGURED) for state in checks.values())
    return checks, healthy
