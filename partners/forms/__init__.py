"""Forms of the partners app, one module per workflow (registration, membership, review)."""

from core.forms import add_bootstrap_classes

__all__ = ["add_bootstrap_classes"]
