"""Signals of the base layer.

``rows_written`` stands in for the save and delete signals that ``core.bulk`` does not send
(it writes thousands of rows in a few statements): its sender is the model written. The
caches that follow the data (the anonymous page cache, the analysis figures) listen to it as
they listen to ``post_save``.
"""

from django.dispatch import Signal

rows_written = Signal()
