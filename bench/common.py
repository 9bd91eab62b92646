"""What the bench scripts share: undoing their writes and reading the process's memory."""

import resource


class Rollback(Exception):
    """Raised inside the bench's transaction to undo everything it wrote."""


def mib(size: float) -> str:
    return f"{size / 1024 / 1024:.1f} MiB"


def maxrss() -> int:
    """The process's peak resident size in bytes (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
