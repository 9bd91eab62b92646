"""The coordinators' bulletin pages: the list; a bulletin with its editions; its number and
months; each edition's editor (with autosave), build, status, preview and PDF; publishing,
revising and withdrawing, each after a confirmation page.

Every page here is the cluster team's own tool, so other users get a 403 (visitors the
login page). Which action may be taken now is ``bulletins.policy``'s to say, for the buttons
and again in the services. The PDF is served by ``edition_download`` only: no media URL
exposes it.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bulletins import confirmations, policy, publication, rendering, selectors, services
from bulletins.downloads import pdf_filename, pdf_response
from bulletins.forms import (
    NARRATIVE_FIELDS,
    BulletinCreateForm,
    BulletinForm,
    EditionForm,
    PublishForm,
    RevisionForm,
    WithdrawForm,
)
from bulletins.models import BuildStatus, Bulletin, Edition
from core.confirm import confirmation_page
from core.decorators import coordinator_required
from core.policy import Decision, refused_response
from strategy.selectors import cluster_profile_for_home


def _private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    return response


def _first_message(error: ValidationError) -> str:
    return error.messages[0]


def _refused(request: HttpRequest, decision: Decision, pk: int) -> HttpResponse:
    return refused_response(request, decision, "bulletins:detail", pk=pk)


@require_safe
@coordinator_required
def bulletin_list(request: HttpRequest) -> HttpResponse:
    bulletins = []
    for bulletin in selectors.bulletins_for_management():
        editions = selectors.editions_of(bulletin)
        latest = max([bulletin, *editions], key=lambda row: row.updated_at)
        bulletins.append((bulletin, editions, latest))
    return render(request, "bulletins/list.html", {"bulletins": bulletins})


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def bulletin_create(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        form = BulletinCreateForm(initial={"number": services.next_number()})
        return render(request, "bulletins/create.html", {"form": form})
    form = BulletinCreateForm(request.POST)
    if not form.is_valid():
        return render(request, "bulletins/create.html", {"form": form}, status=400)
    bulletin = services.bulletin_create(fields=form.cleaned_data, by=request.user)
    messages.success(
        request,
        _("Bulletin %(number)s is created, with an edition in each language. Write them below.")
        % {"number": bulletin.number},
    )
    return redirect("bulletins:detail", pk=bulletin.pk)


def _render_detail(request: HttpRequest, bulletin: Bulletin) -> HttpResponse:
    editions = selectors.editions_of(bulletin)
    public = any(edition.is_public for edition in editions)
    for edition in editions:
        edition.actions = policy.edition_actions(request.user, edition)
    return _private(
        render(
            request,
            "bulletins/detail.html",
            {
                "bulletin": bulletin,
                "editions": [(edition, selectors.build_status(edition)) for edition in editions],
                "is_public": public,
                "actions": policy.bulletin_actions(request.user, bulletin),
                "any_building": any(edition.is_building for edition in editions),
            },
        )
    )


@require_safe
@coordinator_required
def bulletin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, selectors.get_bulletin(pk))


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def bulletin_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The number and months, until an edition is published."""
    bulletin = selectors.get_bulletin(pk)
    decision = policy.can_change_settings(request.user, bulletin)
    if not decision:
        return _refused(request, decision, pk)
    form = BulletinForm(request.POST or None, instance=bulletin)
    if request.method != "POST" or not form.is_valid():
        status = 400 if request.method == "POST" else 200
        return render(
            request, "bulletins/settings.html", {"bulletin": bulletin, "form": form}, status=status
        )
    try:
        services.bulletin_update(bulletin=bulletin, fields=form.cleaned_data, by=request.user)
    except ValidationError as error:
        messages.error(request, _first_message(error))
        return redirect("bulletins:detail", pk=pk)
    messages.success(request, _("The bulletin is saved. Build its editions again for the PDFs."))
    return redirect("bulletins:detail", pk=pk)


@require_POST
@coordinator_required
def bulletin_build(request: HttpRequest, pk: int) -> HttpResponse:
    """Build every edition from today's figures (before any edition is published)."""
    try:
        results = services.bulletin_build(bulletin=selectors.get_bulletin(pk), by=request.user)
    except ValidationError as error:
        messages.error(request, _first_message(error))
        return redirect("bulletins:detail", pk=pk)
    _report_builds(request, results)
    return redirect("bulletins:detail", pk=pk)


def _report_builds(request: HttpRequest, results: list[services.BuildRequest]) -> None:
    errors = [result.error for result in results if result.error]
    for error in dict.fromkeys(errors):
        messages.error(request, error)
    if errors:
        return
    if not any(result.queued for result in results):
        messages.info(request, _("These editions are already being built."))
    elif all(result.edition.status == BuildStatus.READY for result in results):
        messages.success(request, _("The PDFs are built."))
    else:
        messages.success(
            request, _("The builds are queued. This page shows their progress until they are done.")
        )


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def bulletin_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """GET says what publishing will do, edition by edition; the POST does it."""
    bulletin = selectors.get_bulletin(pk)
    decision = policy.can_publish(request.user, bulletin)
    if not decision:
        return _refused(request, decision, pk)
    if request.method != "POST":
        return confirmation_page(request, confirmations.publish_confirmation(bulletin))
    form = PublishForm(request.POST, editions=policy.publishable_editions(bulletin))
    if not form.is_valid():
        confirmation = confirmations.publish_confirmation(bulletin, form)
        return confirmation_page(request, confirmation, status=400)
    try:
        done = publication.bulletin_publish(
            bulletin=bulletin, languages=form.cleaned_data["languages"], by=request.user
        )
    except ValidationError as error:
        messages.error(request, _first_message(error))
        return redirect("bulletins:detail", pk=pk)
    for published in done:
        messages.success(request, _published_message(published))
    return redirect("bulletins:detail", pk=pk)


def _published_message(published: publication.Published) -> str:
    edition = published.edition
    values = {"number": edition.bulletin.number, "language": edition.get_language_name()}
    if published.first_time:
        return (
            _(
                "The %(language)s edition of bulletin %(number)s is published. Its confirmed "
                "subscribers are being emailed."
            )
            % values
        )
    return (
        _(
            "The %(language)s edition of bulletin %(number)s is published again. Its "
            "subscribers were emailed when it was first published and are not emailed again."
        )
        % values
    )


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def bulletin_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for the reason and says what withdrawing does; the POST does it."""
    bulletin = selectors.get_bulletin(pk)
    decision = policy.can_withdraw(request.user, bulletin)
    if not decision:
        return _refused(request, decision, pk)
    if request.method != "POST":
        return confirmation_page(request, confirmations.withdraw_confirmation(bulletin))
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        confirmation = confirmations.withdraw_confirmation(bulletin, form)
        return confirmation_page(request, confirmation, status=400)
    try:
        publication.bulletin_withdraw(
            bulletin=bulletin, by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, _first_message(error))
        return redirect("bulletins:detail", pk=pk)
    messages.success(
        request,
        _(
            "Bulletin %(number)s is withdrawn. Its public pages and the feeds say so, "
            "with your reason."
        )
        % {"number": bulletin.number},
    )
    return redirect("bulletins:detail", pk=pk)


# One edition ------------------------------------------------------------------------------


def _render_editor(
    request: HttpRequest, edition: Edition, form: EditionForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "bulletins/edit.html",
        {
            "edition": edition,
            "bulletin": edition.bulletin,
            "form": form,
            "narrative_fields": [form[name] for name in NARRATIVE_FIELDS],
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def edition_edit(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    edition = selectors.get_edition(pk, language)
    if request.method != "POST":
        return _render_editor(request, edition, EditionForm(instance=edition))
    form = EditionForm(request.POST, instance=edition)
    if not form.is_valid():
        return _render_editor(request, edition, form, status=400)
    services.edition_update(edition=edition, fields=form.cleaned_data, by=request.user)
    if edition.is_public:
        text = _(
            "The revision is saved; the public still sees the published edition. Build it, "
            "then publish the revision with a note."
        )
    else:
        text = _("The edition is saved. Build it again for the PDF to show your changes.")
    messages.success(request, text)
    return redirect("bulletins:detail", pk=pk)


@require_POST
@coordinator_required
def edition_autosave(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    """The editor's autosave (static/js/bulletin-editor.js): JSON, "Draft saved at 14:05"."""
    edition = selectors.get_edition(pk, language)
    form = EditionForm(request.POST, instance=edition)
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        return JsonResponse(
            {
                "saved": False,
                "message": _("Not saved yet: %(problem)s") % {"problem": first},
                "errors": {name: list(errors) for name, errors in form.errors.items()},
            },
            status=400,
        )
    edition = services.edition_update(
        edition=edition, fields=form.cleaned_data, by=request.user, record_history=False
    )
    saved_at = formats.time_format(timezone.localtime(edition.updated_at), "H:i")
    return JsonResponse(
        {
            "saved": True,
            "message": _("Draft saved at %(time)s.") % {"time": saved_at},
            "saved_at": edition.updated_at.isoformat(),
        }
    )


@require_POST
@coordinator_required
def edition_build(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    result = services.edition_build(edition=selectors.get_edition(pk, language), by=request.user)
    _report_builds(request, [result])
    return redirect("bulletins:detail", pk=pk)


@require_safe
@coordinator_required
def edition_status(request: HttpRequest, pk: int, language: str) -> JsonResponse:
    """The build's status for the bulletin page's polling (static/js/bulletin-status.js)."""
    return _private(JsonResponse(selectors.build_status(selectors.get_edition(pk, language))))


@require_safe
@coordinator_required
def edition_preview(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    """The print layout in the browser, with the edition's text as it is now."""
    edition = selectors.get_edition(pk, language)
    figures, live = selectors.preview_figures(edition)
    html = rendering.render_html(
        edition,
        figures,
        cluster_profile_for_home(),
        for_browser=True,
        extra={"live_figures": live, "back_url": edition.get_absolute_url()},
    )
    return _private(HttpResponse(html))


@require_safe
@coordinator_required
def edition_download(request: HttpRequest, pk: int, language: str) -> FileResponse:
    """The PDF of the edition's latest build (a revision's before it is published)."""
    edition = selectors.get_edition(pk, language)
    return _private(pdf_response(edition.pdf, pdf_filename(edition)))


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def edition_revise(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    """GET says what publishing the revision does; the POST, with its note, does it."""
    edition = selectors.get_edition(pk, language)
    decision = policy.can_revise(request.user, edition)
    if not decision:
        return _refused(request, decision, pk)
    if request.method != "POST":
        return confirmation_page(request, confirmations.revision_confirmation(edition))
    form = RevisionForm(request.POST)
    if not form.is_valid():
        confirmation = confirmations.revision_confirmation(edition, form)
        return confirmation_page(request, confirmation, status=400)
    try:
        version = publication.edition_publish_revision(
            edition=edition,
            note=form.cleaned_data["note"],
            email_subscribers=form.cleaned_data["email_subscribers"],
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, _first_message(error))
        return redirect("bulletins:detail", pk=pk)
    messages.success(
        request,
        _("Version %(version)s of the %(language)s edition is published; its page shows your note.")
        % {"version": version.number, "language": edition.get_language_name()},
    )
    return redirect("bulletins:detail", pk=pk)
