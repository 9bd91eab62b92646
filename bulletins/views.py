"""The coordinators' bulletin pages: list, create, edit (with autosave), build and follow
the build, preview the print layout, download the PDF, publish and withdraw.

Every page here is the cluster team's own tool, so other users get a 403 (visitors the
login page). The PDF is served by ``bulletin_download`` only: no media URL exposes it.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from bulletins import confirmations, rendering, selectors, services
from bulletins.forms import NARRATIVE_FIELDS, BulletinCreateForm, BulletinForm, WithdrawForm
from bulletins.models import Bulletin
from core.confirm import confirmation_page
from core.decorators import coordinator_required
from strategy.selectors import cluster_profile_for_home


def _private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    return response


@require_safe
@coordinator_required
def bulletin_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "bulletins/list.html", {"bulletins": selectors.bulletins_for_management()}
    )


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
        _("Bulletin %(number)s is created. Write its highlights and narrative below.")
        % {"number": bulletin.number},
    )
    return redirect("bulletins:edit", pk=bulletin.pk)


def _render_editor(
    request: HttpRequest, bulletin: Bulletin, form: BulletinForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "bulletins/edit.html",
        {
            "bulletin": bulletin,
            "form": form,
            "narrative_fields": [form[name] for name in NARRATIVE_FIELDS],
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def bulletin_edit(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = selectors.get_bulletin(pk)
    if request.method != "POST":
        return _render_editor(request, bulletin, BulletinForm(instance=bulletin))
    form = BulletinForm(request.POST, instance=bulletin)
    if not form.is_valid():
        return _render_editor(request, bulletin, form, status=400)
    services.bulletin_update(bulletin=bulletin, fields=form.cleaned_data, by=request.user)
    messages.success(
        request, _("The bulletin is saved. Build it again for the PDF to show your changes.")
    )
    return redirect("bulletins:detail", pk=bulletin.pk)


@require_POST
@coordinator_required
def bulletin_autosave(request: HttpRequest, pk: int) -> HttpResponse:
    """The editor's autosave (static/js/bulletin-editor.js): JSON, "Draft saved at 14:05"."""
    bulletin = selectors.get_bulletin(pk)
    form = BulletinForm(request.POST, instance=bulletin)
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
    bulletin = services.bulletin_update(
        bulletin=bulletin, fields=form.cleaned_data, by=request.user, record_history=False
    )
    saved_at = formats.time_format(timezone.localtime(bulletin.updated_at), "H:i")
    return JsonResponse(
        {
            "saved": True,
            "message": _("Draft saved at %(time)s.") % {"time": saved_at},
            "saved_at": bulletin.updated_at.isoformat(),
        }
    )


def _render_detail(request: HttpRequest, bulletin: Bulletin, status: int = 200) -> HttpResponse:
    return _private(
        render(
            request,
            "bulletins/detail.html",
            {
                "bulletin": bulletin,
                "build": selectors.build_status(bulletin),
            },
            status=status,
        )
    )


@require_safe
@coordinator_required
def bulletin_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, selectors.get_bulletin(pk))


def _first_message(error: ValidationError) -> str:
    return error.messages[0]


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def bulletin_publish(request: HttpRequest, pk: int) -> HttpResponse:
    """GET says what publishing will do (and to how many subscribers); the POST does it."""
    bulletin = selectors.get_bulletin(pk)
    if request.method != "POST":
        try:
            services.check_publishable(bulletin)
        except ValidationError as error:
            messages.error(request, _first_message(error))
            return redirect("bulletins:detail", pk=pk)
        return confirmation_page(request, confirmations.publish_confirmation(bulletin))
    published_before = bulletin.is_public
    try:
        bulletin = services.bulletin_publish(bulletin=bulletin, by=request.user)
    except ValidationError as error:
        messages.error(request, _first_message(error))
        return redirect("bulletins:detail", pk=pk)
    if published_before:
        text = _(
            "Bulletin %(number)s is published again. Its subscribers were emailed when it "
            "was first published and are not emailed again."
        )
    else:
        text = _(
            "Bulletin %(number)s is published. The confirmed subscribers in %(language)s "
            "are being emailed."
        )
    messages.success(
        request, text % {"number": bulletin.number, "language": bulletin.get_language_display()}
    )
    return redirect("bulletins:detail", pk=pk)


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def bulletin_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks for the reason and says what withdrawing does; the POST does it."""
    bulletin = selectors.get_bulletin(pk)
    if request.method != "POST":
        try:
            services.check_withdrawable(bulletin)
        except ValidationError as error:
            messages.error(request, _first_message(error))
            return redirect("bulletins:detail", pk=pk)
        return confirmation_page(request, confirmations.withdraw_confirmation(bulletin))
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        confirmation = confirmations.withdraw_confirmation(bulletin, form)
        return confirmation_page(request, confirmation, status=400)
    try:
        bulletin = services.bulletin_withdraw(
            bulletin=bulletin, by=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, _first_message(error))
        return redirect("bulletins:detail", pk=pk)
    messages.success(
        request,
        _(
            "Bulletin %(number)s is withdrawn. Its public page and the feed say so, "
            "with your reason."
        )
        % {"number": bulletin.number},
    )
    return redirect("bulletins:detail", pk=pk)


@require_safe
@coordinator_required
def bulletin_status(request: HttpRequest, pk: int) -> JsonResponse:
    """The build's status for the status page's polling (static/js/bulletin-status.js)."""
    return _private(JsonResponse(selectors.build_status(selectors.get_bulletin(pk))))


@require_POST
@coordinator_required
def bulletin_build(request: HttpRequest, pk: int) -> HttpResponse:
    result = services.bulletin_build(bulletin=selectors.get_bulletin(pk), by=request.user)
    if result.error:
        messages.error(request, result.error)
    elif not result.queued:
        messages.info(request, _("This bulletin is already being built."))
    elif result.bulletin.status == "ready":
        messages.success(request, _("The bulletin is built."))
    else:
        messages.success(
            request, _("The build is queued. This page shows its progress until it is done.")
        )
    return redirect("bulletins:detail", pk=pk)


@require_safe
@coordinator_required
def bulletin_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The print layout in the browser, from the stored figures (today's before a build)."""
    bulletin = selectors.get_bulletin(pk)
    figures, live = selectors.preview_figures(bulletin)
    html = rendering.render_html(
        bulletin,
        figures,
        cluster_profile_for_home(),
        for_browser=True,
        extra={
            "live_figures": live,
            "back_url": reverse("bulletins:detail", kwargs={"pk": bulletin.pk}),
        },
    )
    return _private(HttpResponse(html))


@require_safe
@coordinator_required
def bulletin_download(request: HttpRequest, pk: int) -> FileResponse:
    bulletin = selectors.get_bulletin(pk)
    if not bulletin.pdf:
        raise Http404
    try:
        handle = bulletin.pdf.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"bulletin-{bulletin.number}-{bulletin.language}.pdf",
        content_type="application/pdf",
    )
    return _private(response)
