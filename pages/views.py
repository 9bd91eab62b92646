"""Public pages and their editor.

Anybody reads published pages and their images; coordinators also see unpublished ones,
and create, edit, publish and unpublish them. The editor autosaves a draft per user
(static/js/draft-autosave.js, or the "Save draft" button without JavaScript) and offers to
restore it when it is newer than the saved page. Which actions are offered, and allowed,
is ``pages.policy``'s to say.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.decorators import coordinator_required
from core.forms import add_service_errors
from core.inputs import whole_number_or_none
from pages import policy, selectors, services
from pages.forms import PageForm, PageImageForm, draft_initial, draft_values
from pages.models import Page, PageImage

REVISION_LABEL = "pages.page"


# Public ----------------------------------------------------------------------------------


@require_safe
def page_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "pages/list.html",
        {"pages": selectors.published_pages(), "can_manage": policy.can_manage(request.user)},
    )


@require_safe
def page_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = selectors.get_page_for_user(request.user, slug)
    return render(
        request,
        "pages/detail.html",
        {"page": page, "actions": policy.page_actions(request.user, page)},
    )


@require_safe
def page_image(request: HttpRequest, pk: int) -> FileResponse:
    image = selectors.get_page_image_for_user(request.user, pk)
    try:
        handle = image.image.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=image.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    if image.page.is_published:
        patch_cache_control(response, public=True, max_age=3600)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


# Coordinators ----------------------------------------------------------------------------


@require_safe
@coordinator_required
def page_manage(request: HttpRequest) -> HttpResponse:
    pages = list(selectors.pages_for_management())
    for page in pages:
        page.actions = policy.page_actions(request.user, page)
    return render(request, "pages/manage.html", {"pages": pages, "revision_label": REVISION_LABEL})


def _saved_at(draft) -> str:
    return formats.time_format(timezone.localtime(draft.updated_at), "H:i")


def _render_editor(
    request: HttpRequest,
    *,
    page: Page | None,
    form: PageForm,
    image_form: PageImageForm | None = None,
    status: int = 200,
) -> HttpResponse:
    draft = None
    if request.method == "GET" and "draft" not in request.GET:
        draft = selectors.draft_to_offer(page=page, user=request.user)
    draft_url = reverse("pages:draft_save")
    if page is not None:
        draft_url += f"?page={page.pk}"
    images = list(page.images.all()) if page is not None else []
    return render(
        request,
        "pages/edit.html",
        {
            "page": page,
            "form": form,
            "draft": draft,
            "draft_saved_at": _saved_at(draft) if draft else "",
            "draft_url": draft_url,
            "images": images,
            "image_form": image_form or (PageImageForm() if page is not None else None),
            "revision_label": REVISION_LABEL,
        },
        status=status,
    )


def _editor_form(request: HttpRequest, page: Page | None) -> PageForm:
    """The unbound editor: the saved page, or the user's draft when asked to restore it."""
    if request.GET.get("draft") == "restore":
        draft = selectors.draft_of(page=page, user=request.user)
        if draft is not None:
            return PageForm(instance=page, initial=draft_initial(draft.data))
    return PageForm(instance=page)


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def page_create(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _render_editor(request, page=None, form=_editor_form(request, None))
    form = PageForm(request.POST)
    if not form.is_valid():
        return _render_editor(request, page=None, form=form, status=400)
    page = services.page_create(fields=form.cleaned_data, by=request.user)
    messages.success(request, _("The page “%(title)s” is saved.") % {"title": page.title})
    return redirect("pages:edit", pk=page.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@coordinator_required
def page_edit(request: HttpRequest, pk: int) -> HttpResponse:
    page = get_object_or_404(Page, pk=pk)
    if request.method != "POST":
        return _render_editor(request, page=page, form=_editor_form(request, page))
    form = PageForm(request.POST, instance=page)
    if not form.is_valid():
        return _render_editor(request, page=page, form=form, status=400)
    page = services.page_update(page=page, fields=form.cleaned_data, by=request.user)
    if page.is_published:
        message = _("The page “%(title)s” is saved and published.")
    else:
        message = _("The page “%(title)s” is saved. It is not published.")
    messages.success(request, message % {"title": page.title})
    return redirect("pages:edit", pk=page.pk)


@require_POST
@coordinator_required
def page_publish(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        page = services.page_publish(page=get_object_or_404(Page, pk=pk), by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The page “%(title)s” is published.") % {"title": page.title})
    return redirect("pages:manage")


@require_POST
@coordinator_required
def page_unpublish(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        page = services.page_unpublish(page=get_object_or_404(Page, pk=pk), by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The page “%(title)s” is no longer published: only coordinators can see it.")
            % {"title": page.title},
        )
    return redirect("pages:manage")


@require_POST
@coordinator_required
def page_image_upload(request: HttpRequest, pk: int) -> HttpResponse:
    page = get_object_or_404(Page, pk=pk)
    form = PageImageForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render_editor(
            request, page=page, form=PageForm(instance=page), image_form=form, status=400
        )
    try:
        image = services.page_image_add(
            page=page,
            image=form.cleaned_data["image"],
            alt_en=form.cleaned_data["alt_en"],
            alt_ar=form.cleaned_data["alt_ar"],
            by=request.user,
        )
    except ValidationError as error:  # a refusal, or the file store out of reach
        add_service_errors(form, error)
        return _render_editor(
            request, page=page, form=PageForm(instance=page), image_form=form, status=400
        )
    messages.success(
        request,
        _("The image is uploaded. Copy its Markdown into the text where it should appear: %(code)s")
        % {"code": f"![{image.alt_en}]({image.get_absolute_url()})"},
    )
    return redirect("pages:edit", pk=page.pk)


@require_POST
@coordinator_required
def page_image_delete(request: HttpRequest, pk: int) -> HttpResponse:
    image = get_object_or_404(PageImage.objects.select_related("page"), pk=pk)
    page = image.page
    services.page_image_delete(page_image=image, by=request.user)
    messages.success(
        request,
        _("The image is deleted. Remove its Markdown from the text if it is still there."),
    )
    return redirect("pages:edit", pk=page.pk)


def _draft_page(request: HttpRequest) -> Page | None:
    raw = request.GET.get("page", "")
    if not raw:
        return None
    pk = whole_number_or_none(raw, minimum=1)
    if pk is None:
        raise Http404
    return get_object_or_404(Page, pk=pk)


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def _draft_refused(request: HttpRequest, page: Page | None, error: ValidationError) -> HttpResponse:
    """A draft that cannot be kept: the reason, and the editor with the text as sent."""
    message = " ".join(error.messages)
    if _wants_json(request):
        return JsonResponse({"message": message}, status=400)
    messages.error(request, message)
    form = PageForm(request.POST, instance=page)
    return _render_editor(request, page=page, form=form, status=400)


@require_POST
@coordinator_required
def page_draft_save(request: HttpRequest) -> HttpResponse:
    """Keep the editor's unsaved fields: JSON for the autosave, a redirect without JS."""
    page = _draft_page(request)
    try:
        values = draft_values(request.POST)
    except ValidationError as error:
        return _draft_refused(request, page, error)
    draft = services.page_draft_save(page=page, user=request.user, data=values)
    message = _("Draft saved at %(time)s.") % {"time": _saved_at(draft)}
    if _wants_json(request):
        return JsonResponse({"message": message, "saved_at": draft.updated_at.isoformat()})
    messages.success(request, message)
    target = reverse("pages:edit", kwargs={"pk": page.pk}) if page else reverse("pages:create")
    return redirect(f"{target}?draft=restore")


@require_POST
@coordinator_required
def page_draft_discard(request: HttpRequest) -> HttpResponse:
    page = _draft_page(request)
    services.page_draft_discard(page=page, user=request.user)
    messages.info(request, _("The draft is discarded."))
    return redirect(reverse("pages:edit", kwargs={"pk": page.pk}) if page else "pages:create")
