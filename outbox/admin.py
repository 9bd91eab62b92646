"""Outgoing emails are deliberately not in the Django admin.

Their bodies may hold password-reset and confirmation links, which would let whoever reads
them act as the recipient. Coordinators see the undelivered ones without their bodies on
their own page (``outbox.views``); operators query the table (docs/operations.md).
"""
