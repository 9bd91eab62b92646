"""A real SMTP server for the outbox tests: aiosmtpd in a thread, on a free port.

Django's own SMTP backend talks to it, as it would to the cluster's mail server. It refuses
every message while ``refusing`` is set, with ``answer`` (by default a temporary 451 at the
DATA step), and keeps the ones it accepts in ``received``.
"""

import email
import socket
from dataclasses import dataclass, field
from email.message import Message

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class MailServer:
    refusing: bool = False
    answer: str = "451 4.3.0 Mailbox temporarily unavailable, try again later"
    received: list[Message] = field(default_factory=list)
    refusals: int = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.refusing:
            self.refusals += 1
            return self.answer
        self.received.append(email.message_from_bytes(envelope.original_content))
        return "250 OK: queued"

    def recipients(self) -> list[str]:
        return sorted(message["To"] for message in self.received)

    def subjects(self) -> list[str]:
        return [str(message["Subject"]) for message in self.received]


@pytest.fixture
def smtp_server(settings):
    """A running SMTP server that Django's SMTP backend sends to for the test's duration."""
    server = MailServer()
    port = free_port()
    controller = Controller(server, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    try:
        yield server
    finally:
        controller.stop()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what happens inside, then its on-commit callbacks (the outbox's sending tasks)."""

    def _committed():
        return django_capture_on_commit_callbacks(execute=True)

    return _committed
