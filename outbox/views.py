"""The coordinators' list of emails that could not be delivered, and trying them again."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from core.decorators import coordinator_required
from outbox import selectors, services
from outbox.models import OutboundEmail

PAGE_SIZE = 50


@require_safe
@coordinator_required
def failed_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.failed_emails(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "outbox/failed.html",
        {
            "page_obj": page,
            "failed": page.object_list,
            "retrying": list(selectors.retrying_emails()[:PAGE_SIZE]),
        },
    )


@require_POST
@coordinator_required
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        email = services.email_retry(email_id=pk, by=request.user)
    except OutboundEmail.DoesNotExist:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "The email to %(recipient)s is being sent again. If the mail server refuses "
                "it again, it comes back to this page with the reason."
            )
            % {"recipient": email.recipient},
        )
    return redirect("outbox:failed")


@require_POST
@coordinator_required
def retry_all(request: HttpRequest) -> HttpResponse:
    count = services.emails_retry_failed(by=request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)d email is being sent again.",
                "%(count)d emails are being sent again.",
                count,
            )
            % {"count": count},
        )
    else:
        messages.info(request, _("No failed email was waiting."))
    return redirect("outbox:failed")
