"""The report of `make topology` (scripts/topology.py): the phases and faults as they
happened, nginx's access log read back, and the figures and criteria of the run."""

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from topology_clients import RESET_ADDRESSES, Coordinator, MailCounter

# Requests that ended within this long after a fault's end are still counted as its own.
GRACE_SECONDS = 2.0


@dataclass
class Timeline:
    """When each fault started and ended (monotonic-free: wall clock, as nginx logs)."""

    start: float = 0.0
    phases: dict[str, tuple[float, float]] = field(default_factory=dict)
    kills: list[tuple[str, float]] = field(default_factory=list)
    outages: list[tuple[str, float, float]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    killed_build: tuple[int, str] | None = None


# --- the report ------------------------------------------------------------------------------

LOG_LINE = re.compile(r'^(\S+) (\S+) (\d+) "([^"]*)" "([^"]*)" (\S+) (\S+) "([^"]*)" "([^"]*)"$')


@dataclass
class Request:
    start: float
    end: float
    status: int
    method: str
    path: str
    upstreams: int  # nodes nginx tried: 2 when the first failed and it went on to the other
    page_cache: str  # the X-Page-Cache the node answered: hit, miss, stale, or "-"
    signed_in: bool  # sent a session cookie


def read_access_log(path: Path) -> list[Request]:
    requests_ = []
    for line in path.read_text().splitlines():
        match = LOG_LINE.match(line)
        if match:
            end, took, status = float(match[1]), float(match[2]), int(match[3])
            tried = len(match[4].split(","))
            signed_in = match[9] not in ("", "-")
            requests_.append(
                Request(end - took, end, status, match[6], match[7], tried, match[8], signed_in)
            )
    return requests_


def excuse(request: Request, timeline: Timeline) -> str:
    """Why a failed request is accepted ('' when it is not)."""
    for what, moment in timeline.kills:
        if request.start <= moment <= request.end + 0.05:
            return f"in flight at: {what}"
    # While the database is out of reach the portal must say so (a 503 with Retry-After,
    # core.views.server_error); a 500 then is an error like any other.
    for what, began, ended in timeline.outages:
        overlaps = began - 0.05 <= request.end and request.start <= ended + GRACE_SECONDS
        if overlaps and request.status == 503:
            return f"during: {what}"
    return ""


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return values[min(len(values) - 1, int(share * len(values)))]


def phase_figures(log: list[Request], timeline: Timeline) -> tuple[dict, list[dict]]:
    figures, unexcused = {}, []
    for name, (began, ended) in timeline.phases.items():
        inside = [r for r in log if began <= r.start < ended]
        # wrk closes its connections when its time is up: the answers it then stops waiting
        # for are logged 499 by nginx, and are the end of the phase rather than errors.
        cut_off = [r for r in inside if r.status == 499 and r.end >= ended - 1.0]
        inside = [r for r in inside if r not in cut_off]
        failed = [r for r in inside if r.status >= 500 or r.status == 499]
        excused = Counter()
        for request in failed:
            reason = excuse(request, timeline)
            if reason:
                who = "signed in" if request.signed_in else "anonymous"
                excused[f"{request.status} {reason} ({who})"] += 1
            else:
                unexcused.append(
                    {
                        "phase": name,
                        "status": request.status,
                        "path": request.path,
                        "at": round(request.start - timeline.start, 2),
                    }
                )
        latencies = [(r.end - r.start) * 1000 for r in inside]
        figures[name] = {
            "seconds": round(ended - began, 1),
            "stale_pages": sum(1 for r in inside if r.page_cache == "stale"),
            "requests": len(inside),
            "requests_per_second": round(len(inside) / max(0.001, ended - began), 1),
            "p50_ms": round(percentile(latencies, 0.50), 1),
            "p95_ms": round(percentile(latencies, 0.95), 1),
            "errors": len(failed),
            "errors_accepted": dict(excused),
            "errors_not_accepted": sum(1 for u in unexcused if u["phase"] == name),
            "cut_off_when_the_load_stopped": len(cut_off),
            "answered_by_the_other_node_after_a_failure": sum(r.upstreams > 1 for r in inside),
        }
    return figures, unexcused


def email_figures(counter: MailCounter, resets: Counter, since) -> dict:
    from outbox.models import OutboundEmail

    rows = OutboundEmail.objects.filter(recipient__in=RESET_ADDRESSES, created_at__gte=since)
    with counter.lock:
        received = list(counter.received)
    ours = [item for item in received if item[1] in RESET_ADDRESSES]
    by_id = Counter(message_id for message_id, _recipient, _subject in ours)
    by_recipient = Counter((recipient, subject) for _id, recipient, subject in ours)
    unique_by_recipient = Counter()
    for message_id in by_id:
        recipient = next(r for i, r, _s in ours if i == message_id)
        unique_by_recipient[recipient] += 1
    return {
        "expected": sum(resets.values()),
        "expected_by_recipient": dict(resets),
        "outbox_rows": rows.count(),
        "outbox_by_status": dict(Counter(rows.values_list("status", flat=True))),
        "delivered": len(by_id),
        "duplicates": sum(count - 1 for count in by_id.values()),
        "received_by_recipient_and_subject": {
            f"{r} | {s}": n for (r, s), n in by_recipient.items()
        },
        "missing_by_recipient": {
            address: resets[address] - unique_by_recipient[address]
            for address in resets
            if unique_by_recipient[address] < resets[address]
        },
    }


def build_figures(coordinator: Coordinator, killed: tuple[int, str] | None) -> dict:
    from bulletins.models import IN_PROGRESS, Edition

    in_progress = Edition.objects.filter(status__in=IN_PROGRESS).count()
    killed_build = None
    if killed:
        edition = Edition.objects.get(pk=killed[0])
        killed_build = {
            "edition": edition.pk,
            "status_now": edition.status,
            "built_again": edition.status == "ready" and str(edition.build_token) != killed[1],
        }
    return {
        "killed_mid_build": killed_build,
        "asked": coordinator.counts["builds asked"],
        "built": coordinator.counts["builds built"],
        "failed_then_asked_again": coordinator.counts["builds failed, asked again"],
        "still_waiting_at_the_end": sum(1 for b in coordinator.builds if b.asked_at is not None),
        "in_progress_in_the_database": in_progress,
        "seconds_p50": round(statistics.median(coordinator.build_seconds), 1)
        if coordinator.build_seconds
        else None,
    }


def verdict(report: dict) -> list[str]:
    failures = []
    if report["errors_not_accepted"]:
        failures.append(f"{len(report['errors_not_accepted'])} errors outside any fault")
    wrk = report["wrk"]
    sockets = sum(run[k] for run in wrk.values() for k in ("connect", "read", "write", "timeout"))
    if sockets:
        failures.append(f"{sockets} socket errors or timeouts at the balancer")
    builds = report["bulletins"]
    if builds["still_waiting_at_the_end"] or builds["in_progress_in_the_database"]:
        failures.append("bulletin builds left in progress")
    if (
        builds["asked"] == 0
        or builds["built"] != builds["asked"] - builds["failed_then_asked_again"]
    ):
        failures.append("not every bulletin build asked for was built")
    killed = builds["killed_mid_build"]
    if killed and not killed["built_again"]:
        failures.append("the build whose worker was killed was not built again")
    emails = report["emails"]
    if emails["expected"] == 0 or emails["missing_by_recipient"]:
        failures.append("emails expected and not delivered")
    if emails["outbox_rows"] != emails["expected"]:
        failures.append("the outbox does not hold one row per reset asked for")
    if not report["exports_downloaded"]:
        failures.append("no export downloaded through PgBouncer")
    return failures


def text_report(report: dict) -> str:
    lines = [f"Topology run {report['date']} on {report['machine']}", ""]
    lines.append(f"Files: {report['storage']}")
    lines.append("Faults: " + "; ".join(f"{what} at {at:.1f} s" for what, at in report["faults"]))
    lines.append("")
    lines.append(
        f"{'phase':8} {'s':>5} {'requests':>9} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} errors"
    )
    for name, phase in report["phases"].items():
        accepted = ", ".join(f"{n} {why}" for why, n in phase["errors_accepted"].items())
        lines.append(
            f"{name:8} {phase['seconds']:>5} {phase['requests']:>9}"
            f" {phase['requests_per_second']:>7}"
            f" {phase['p50_ms']:>8} {phase['p95_ms']:>8} {phase['errors']}"
            f" (not accepted: {phase['errors_not_accepted']}{'; ' + accepted if accepted else ''})"
        )
    retried = sum(
        p["answered_by_the_other_node_after_a_failure"] for p in report["phases"].values()
    )
    stale = report["phases"]["during"]["stale_pages"]
    lines.append(
        f"Requests served: {report['requests_served']}; answered by the other node after the"
        f" first failed (nginx's proxy_next_upstream): {retried}; public pages answered with"
        f" the last copy kept (the database out of reach): {stale}"
    )
    builds = report["bulletins"]
    lines.append(
        f"Bulletin builds: asked {builds['asked']}, built {builds['built']}, failed and asked "
        f"again {builds['failed_then_asked_again']}, in progress in the database at the end "
        f"{builds['in_progress_in_the_database']} (median {builds['seconds_p50']} s)"
    )
    if builds["killed_mid_build"]:
        lines.append(f"Build whose worker was killed: {builds['killed_mid_build']}")
    emails = report["emails"]
    lines.append(
        f"Emails: expected {emails['expected']}, outbox rows {emails['outbox_rows']} "
        f"{emails['outbox_by_status']}, delivered {emails['delivered']}, duplicates "
        f"{emails['duplicates']}, missing {emails['missing_by_recipient'] or 0}"
    )
    lines.append(f"Exports downloaded through PgBouncer: {report['exports_downloaded']}")
    lines.append(f"PgBouncer (pool {report['pool_size']}), peaks: {report['pgbouncer_peaks']}")
    lines.append(f"Coordinator's failed requests: {report['coordinator_errors']}")
    for note in report["notes"]:
        lines.append(f"Note: {note}")
    lines.append("")
    lines.append("PASS" if not report["failures"] else "FAIL: " + "; ".join(report["failures"]))
    return "\n".join(lines)
