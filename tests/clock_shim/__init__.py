"""Running the suite under ``faketime`` (a year ahead): see sitecustomize.py."""

import os


def real_clock_environment() -> dict[str, str]:
    """This process's environment without libfaketime, for programs outside the portal that
    stall or crash on the shifted clock (Chromium, redis-server with jemalloc): they keep the
    real time, as a visitor's browser or a separate server would."""
    return {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("FAKETIME") and not (name == "LD_PRELOAD" and "faketime" in value)
    }
