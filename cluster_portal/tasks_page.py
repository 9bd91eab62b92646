"""My tasks: what waits for the logged-in user, gathered from each app.

Each app contributes a provider, a function ``(user) -> list[Task]`` in its
selectors; the page lists the providers' tasks in the order of ``TASK_PROVIDERS``.
A later app adds its own provider to that list.
"""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from activities import selectors as activities_selectors
from activities import selectors_reports as activities_reports
from assessments import tasks_selectors as assessments_tasks
from bulletins import selectors as bulletins_selectors
from core.tasks import Task
from facilities import incident_selectors
from facilities import selectors as facilities_selectors
from monitoring import selectors as monitoring_selectors
from outbox import selectors as outbox_selectors
from partners import selectors as partners_selectors
from projects import selectors as projects_selectors

TaskProvider = Callable[[object], list[Task]]

TASK_PROVIDERS: list[TaskProvider] = [
    partners_selectors.tasks_for_user,
    assessments_tasks.tasks_for_user,
    activities_selectors.tasks_for_user,
    activities_reports.review_tasks_for_user,
    facilities_selectors.tasks_for_user,
    incident_selectors.tasks_for_user,
    projects_selectors.tasks_for_user,
    bulletins_selectors.tasks_for_user,
    monitoring_selectors.tasks_for_user,
    outbox_selectors.tasks_for_user,
]


def tasks_for(user) -> list[Task]:
    """Every provider's tasks for the user, those that need the user's action first."""
    tasks = [task for provider in TASK_PROVIDERS for task in provider(user)]
    return [task for task in tasks if task.needs_action] + [
        task for task in tasks if not task.needs_action
    ]


@login_required
@require_safe
def my_tasks(request: HttpRequest) -> HttpResponse:
    tasks = tasks_for(request.user)
    return render(
        request,
        "my_tasks.html",
        {
            "action_tasks": [task for task in tasks if task.needs_action],
            "waiting_tasks": [task for task in tasks if not task.needs_action],
        },
    )
