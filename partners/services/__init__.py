"""Writes of the partners app, one module per workflow.

``registration`` (register an organisation, edit its profile), ``membership``
(join requests, members, the focal-point role), ``review`` (coordinators'
decisions) and ``coordinators`` (the coordinator role). Each function is atomic
and sends its emails only after the transaction commits.
"""
