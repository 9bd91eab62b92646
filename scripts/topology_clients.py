"""The clients of `make topology` (scripts/topology.py): the SMTP server that counts what
it receives, and the coordinator who builds bulletins, downloads an export and asks for
password resets through the balancer, as a person in a browser would."""

import re
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.parser import BytesParser

import requests

DEMO_PASSWORD = "portal-demo-2026"  # noqa: S105 - the demo accounts' published password
# Password resets asked for during the run, one address after the other.
RESET_ADDRESSES = ["staff@demo.local", "applicant@demo.local", "joiner@demo.local"]


# --- the SMTP server that counts -------------------------------------------------------------


class MailCounter:
    """aiosmtpd handler: every message received, by Message-ID, recipient and subject."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.received: list[tuple[str, str, str]] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        message = BytesParser(policy=policy.default).parsebytes(envelope.content)
        with self.lock:
            for recipient in envelope.rcpt_tos:
                self.received.append(
                    (str(message["Message-ID"]), recipient, str(message["Subject"]))
                )
        return "250 Message accepted"


# --- the clients -----------------------------------------------------------------------------


class LoopbackSession(requests.Session):
    """A browser on plain HTTP: the portal marks its cookies Secure (DEBUG off), and this run
    speaks HTTP on the loopback, so every cookie is sent back all the same. Redirects are
    followed by the caller (``allow_redirects=False``), each one a request of its own."""

    def request(self, *args, **kwargs):
        for cookie in self.cookies:
            cookie.secure = False
        return super().request(*args, **kwargs)


def csrf_field(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not match:
        raise RuntimeError("no CSRF token on the page")
    return match.group(1)


def sign_in(base: str, email: str, totp_code=None) -> requests.Session:
    """A session signed in through the portal's own login (and two-factor) pages."""
    session = LoopbackSession()
    page = session.get(f"{base}/en/accounts/login/", timeout=10)
    answer = session.post(
        f"{base}/en/accounts/login/",
        data={
            "login": email,
            "password": DEMO_PASSWORD,
            "csrfmiddlewaretoken": csrf_field(page.text),
        },
        allow_redirects=False,
        timeout=10,
    )
    where = answer.headers.get("Location", "")
    if "/2fa/authenticate/" in where:
        page = session.get(base + where, timeout=10)
        answer = session.post(
            base + where,
            data={"code": totp_code(), "csrfmiddlewaretoken": csrf_field(page.text)},
            allow_redirects=False,
            timeout=10,
        )
        where = answer.headers.get("Location", "")
    if answer.status_code != 302 or "/accounts/" in where:
        raise RuntimeError(f"could not sign in as {email}: {answer.status_code} to {where!r}")
    return session


@dataclass
class Build:
    language: str
    asked_at: float | None = None
    rest_until: float = 0.0


class Coordinator(threading.Thread):
    """Keeps the demo bulletin's editions building, downloads an export, asks for resets."""

    def __init__(self, base: str, session: requests.Session, bulletin_pk: int, languages) -> None:
        super().__init__(daemon=True)
        self.base, self.session, self.bulletin_pk = base, session, bulletin_pk
        self.builds = [Build(language) for language in languages]
        self.stopping = threading.Event()
        self.draining = threading.Event()
        self.counts = Counter()
        self.build_seconds: list[float] = []
        self.resets: Counter = Counter()
        self.errors: list[tuple[float, str, str]] = []
        self.next_export = self.next_reset = 0.0
        self.reset_turn = 0

    def url(self, language: str, action: str) -> str:
        return f"{self.base}/en/bulletins/manage/{self.bulletin_pk}/{language}/{action}"

    def csrf(self) -> str:
        return self.session.cookies.get("csrftoken", "")

    def run(self) -> None:
        while not self.stopping.is_set():
            for build in self.builds:
                self.guarded(self.step, build)
            now = time.time()
            if not self.draining.is_set():
                if now >= self.next_export:
                    self.next_export = now + 10
                    self.guarded(self.export)
                if now >= self.next_reset:
                    self.next_reset = now + 5
                    self.guarded(self.reset)
            if self.draining.is_set() and all(b.asked_at is None for b in self.builds):
                return
            self.stopping.wait(1.0)

    def guarded(self, action, *args) -> None:
        try:
            action(*args)
        # A page that failed (a 500 without the form, a status that is not JSON) is counted;
        # the coordinator goes on, as a person would try again.
        except (requests.RequestException, RuntimeError, ValueError) as error:
            self.errors.append((time.time(), action.__name__, type(error).__name__))

    def step(self, build: Build) -> None:
        now = time.time()
        if build.asked_at is None:
            if self.draining.is_set() or now < build.rest_until:
                return
            answer = self.session.post(
                self.url(build.language, "build/"),
                data={"csrfmiddlewaretoken": self.csrf()},
                allow_redirects=False,
                timeout=15,
            )
            if answer.status_code == 302:
                build.asked_at = now
                self.counts["builds asked"] += 1
            else:
                self.errors.append((now, "build", str(answer.status_code)))
            return
        answer = self.session.get(self.url(build.language, "status.json"), timeout=15)
        if answer.status_code != 200:
            self.errors.append((now, "status", str(answer.status_code)))
            return
        status = answer.json()
        built_at = status.get("built_at")
        if status["status"] == "ready" and built_at and _epoch(built_at) >= build.asked_at - 1:
            self.counts["builds built"] += 1
            self.build_seconds.append(_epoch(built_at) - build.asked_at)
            build.asked_at, build.rest_until = None, now + 3
        elif status["status"] == "failed":
            # As a coordinator does: the page says the build failed, so build again.
            self.counts["builds failed, asked again"] += 1
            build.asked_at = None

    def export(self) -> None:
        started = time.time()
        with self.session.get(
            f"{self.base}/en/activities/export.csv/", stream=True, timeout=60
        ) as answer:
            size = sum(len(chunk) for chunk in answer.iter_content(65536))
        if answer.status_code == 200 and size > 0:
            self.counts["exports downloaded"] += 1
        else:
            self.errors.append((started, "export", str(answer.status_code)))

    def reset(self) -> None:
        address = RESET_ADDRESSES[self.reset_turn % len(RESET_ADDRESSES)]
        self.reset_turn += 1
        visitor = LoopbackSession()
        page = visitor.get(f"{self.base}/en/accounts/password/reset/", timeout=15)
        answer = visitor.post(
            f"{self.base}/en/accounts/password/reset/",
            data={"email": address, "csrfmiddlewaretoken": csrf_field(page.text)},
            allow_redirects=False,
            timeout=15,
        )
        if answer.status_code == 302:
            self.resets[address] += 1
        else:
            self.errors.append((time.time(), "reset", str(answer.status_code)))


def _epoch(iso: str) -> float:
    return datetime.fromisoformat(iso).timestamp()
