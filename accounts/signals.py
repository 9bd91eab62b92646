"""Signals the accounts app sends for the apps above it."""

from django.dispatch import Signal

# Sent inside the transaction that erases a user's personal data, with ``user`` (already
# anonymised). Apps that hold the user's place somewhere (an active membership, a
# subscription) end it here; they must not delete records the user worked on.
user_erased = Signal()
