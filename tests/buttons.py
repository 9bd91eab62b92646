"""A page offers a button exactly when pressing it works: the check every workflow's
``test_buttons.py`` runs.

For one record in one state, seen by one role: the page is read for its buttons (a form that
posts to the action's URL with a submit button that is not disabled, or a link to the
action's page), then each action is posted as that role, in a savepoint rolled back after,
and whether it happened is read from the database. A button shown for a POST that fails, or
a POST that succeeds with no button for it, is a mismatch.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import tinyhtml5
from django.db import transaction


@dataclass(frozen=True)
class Action:
    """One action of a workflow, as a person meets it on a page and as the server takes it.

    ``page`` and ``url`` take the record; ``done`` takes the record as it was before the
    POST and as it is after (both read from the database) and says whether the action
    happened.
    """

    name: str
    page: Callable[[Any], str]
    url: Callable[[Any], str]
    done: Callable[[Any, Any], bool]
    data: Callable[[Any], dict] = field(default=lambda record: {})


def offered(response) -> set[str]:
    """The URLs the page's buttons post to, and those its links lead to (without their query
    string: a confirmation page is given the list to return to)."""
    if response.status_code != 200:
        return set()
    tree = tinyhtml5.parse(response.content.decode(), namespace_html_elements=False)
    urls = {link.get("href").split("?")[0] for link in tree.iter("a") if link.get("href")}
    for form in tree.iter("form"):
        if (form.get("method") or "get").lower() != "post":
            continue
        buttons = [
            button
            for button in form.iter("button")
            if (button.get("type") or "submit") == "submit" and button.get("disabled") is None
        ]
        if buttons:
            urls.add(form.get("action"))
    return urls


def mismatches(client, record, actions: list[Action], reload: Callable[[Any], Any]) -> list[str]:
    """Each action whose button is shown while its POST fails, or hidden while it works."""
    pages: dict[str, set[str]] = {}
    found = []
    for action in actions:
        page = action.page(record)
        if page not in pages:
            pages[page] = offered(client.get(page))
        url = action.url(record)
        shown = url in pages[page]
        savepoint = transaction.savepoint()
        try:
            before = reload(record)
            client.post(url, action.data(record))
            done = action.done(before, reload(record))
        finally:
            transaction.savepoint_rollback(savepoint)
        if shown != done:
            found.append(
                f"{action.name}: the button is {'shown' if shown else 'hidden'} "
                f"but the POST {'succeeds' if done else 'is refused'}"
            )
    return found
