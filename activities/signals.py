"""Signals other apps listen to, so that they can follow the reports without this app
importing them (the analysis app keeps its summary table up to date with it)."""

from django.dispatch import Signal

# Sent inside the transaction whenever a report's validated rows start or stop counting:
# on validation, on a correction request and when it is reopened. Argument: report_id.
report_figures_changed = Signal()
