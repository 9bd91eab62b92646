"""What waits for a user: each app's selectors return these, the My tasks page lists them."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Task:
    """One line on the My tasks page.

    ``kind`` says what sort of task it is (``"action"`` when the user must act,
    ``"waiting"`` when the user waits for somebody else), so the page can group
    and style them; ``count`` is how many items the line stands for.
    """

    title: str
    description: str
    url: str
    count: int = 1
    kind: str = "action"

    @property
    def needs_action(self) -> bool:
        return self.kind == "action"
