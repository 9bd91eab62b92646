"""Publishing a bulletin's editions, revising a published edition, and withdrawing.

What the public sees of an edition is its latest ``EditionVersion``. The first publication
adds version 1 and emails the confirmed subscribers of its language, once. A revision (an
edition edited and built again after its publication) adds the next version with a one-line
note; its subscribers are emailed only if the coordinator asks. Withdrawal marks every
public edition withdrawn with the reason, and keeps its pages, PDFs and feed entries.

Whether each of these may be done now, and by whom, is ``bulletins.policy``'s to say.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from bulletins import policy
from bulletins.models import (
    TEXT_FIELDS,
    Bulletin,
    Edition,
    EditionVersion,
    in_language_order,
)
from core.emails import absolute_url
from subscribers import services as subscriber_services

NOTE_MAX_LENGTH = 300


def announcement_key(edition: Edition, version: int) -> str:
    """One announcement per version, ever: publishing again after a withdrawal, or twice by
    a double click, emails nobody a second time."""
    return f"edition-{edition.pk}-v{version}"


def public_url(edition: Edition) -> str:
    """The absolute address of the edition's public page, in its own language."""
    with translation.override(edition.language):
        return absolute_url(edition.get_public_url())


def announcement_text(version: EditionVersion) -> tuple[str, str]:
    """The subscribers' email (subject, body) in the edition's language."""
    from bulletins.rendering import period_label

    edition = version.edition
    bulletin = edition.bulletin
    with translation.override(edition.language):
        key = (version.snapshot or {}).get("key_figures") or {}
        context = {
            "number": bulletin.number,
            "title": version.title,
            "period": period_label(bulletin.first_month, bulletin.last_month),
            "key": key,
            "people_percent": round(key["people_reached"] * 100 / key["people_targeted"])
            if key.get("people_targeted") and key.get("people_reached") is not None
            else None,
            "highlights": version.highlight_list,
            "note": version.note,
            "revised_on": date_format(timezone.localtime(version.published_at), "DATE_FORMAT"),
            "url": public_url(edition),
        }
        subject = render_to_string("email/bulletins/published_subject.txt", context)
        body = render_to_string("email/bulletins/published_body.txt", context)
    return " ".join(subject.split()), body.strip() + "\n"


def _announce(version: EditionVersion) -> None:
    subject, body = announcement_text(version)
    subscriber_services.announce(
        key=announcement_key(version.edition, version.number),
        language=version.edition.language,
        subject=subject,
        body=body,
        url=public_url(version.edition),
    )
    EditionVersion.objects.filter(pk=version.pk).update(emailed=True)


def _add_version(edition: Edition, *, by, now, note: str = "") -> EditionVersion:
    current = edition.current_version
    return EditionVersion.objects.create(
        edition=edition,
        number=current.number + 1 if current else 1,
        text_version=edition.text_version,
        snapshot=edition.snapshot,
        snapshot_taken_at=edition.snapshot_taken_at,
        pdf=edition.pdf.name,
        built_at=edition.built_at,
        published_at=now,
        published_by=by,
        note=note,
        figures_refreshed=bool(current) and edition.snapshot_taken_at != current.snapshot_taken_at,
        **{name: getattr(edition, name) for name in TEXT_FIELDS},
    )


def _locked_editions(bulletin: Bulletin) -> list[Edition]:
    editions = Edition.objects.select_for_update().filter(bulletin=bulletin).order_by("pk")
    return in_language_order(editions.prefetch_related("versions").select_related("bulletin"))


# First publication ------------------------------------------------------------------------


@dataclass(frozen=True)
class Published:
    edition: Edition
    first_time: bool


@transaction.atomic
def bulletin_publish(*, bulletin: Bulletin, languages: list[str], by) -> list[Published]:
    """Publish the chosen editions: a ready edition gets version 1 and its subscribers are
    emailed (after the commit, once per version whatever happens later); a withdrawn one
    without changes is public again, emailing nobody."""
    policy.can_manage(by).enforce()
    Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    chosen = [e for e in _locked_editions(bulletin) if e.language in languages]
    for edition in chosen:
        decision = policy.can_publish_edition(by, edition)
        if not decision:
            raise ValidationError(
                _("%(language)s edition: %(problem)s")
                % {"language": edition.get_language_name(), "problem": decision.reason},
                code="not_publishable",
            )
    if not chosen:
        raise ValidationError(_("Choose at least one edition to publish."), code="none")
    done = []
    for edition in chosen:
        first_time = not edition.is_public
        now = timezone.now()
        if first_time:
            edition.published_at = now
            version = _add_version(edition, by=by, now=now)
            _announce(version)
        edition.withdrawn_at = None
        edition.withdrawal_reason = ""
        edition.updated_by = by
        edition._history_user = by
        edition.save(
            update_fields=[
                "published_at",
                "withdrawn_at",
                "withdrawal_reason",
                "updated_by",
                "updated_at",
            ]
        )
        done.append(Published(edition=edition, first_time=first_time))
    return done


# Revisions --------------------------------------------------------------------------------


def _clean_note(note: str) -> str:
    note = " ".join((note or "").split())
    if not note:
        raise ValidationError(
            _("Say in one line what was revised: it is shown on the public page."),
            code="note_required",
        )
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            _("Keep the note to %(max)s characters.") % {"max": NOTE_MAX_LENGTH},
            code="note_too_long",
        )
    return note


@transaction.atomic
def edition_publish_revision(
    *, edition: Edition, note: str, by, email_subscribers: bool = False
) -> EditionVersion:
    """Publish the edition's revision as its next version, with its note. The public page,
    PDF and feed entry show it from now on; earlier versions' PDFs stay public. A withdrawn
    edition is public again. Its subscribers are emailed only when asked."""
    note = _clean_note(note)
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    edition = (
        Edition.objects.prefetch_related("versions").select_related("bulletin").get(pk=edition.pk)
    )
    policy.can_revise(by, edition).enforce()
    version = _add_version(edition, by=by, now=timezone.now(), note=note)
    if version.figures_refreshed:
        # The bulletin's figures are now those of its latest version.
        Bulletin.objects.filter(pk=edition.bulletin_id).update(
            snapshot=edition.snapshot, snapshot_taken_at=edition.snapshot_taken_at
        )
    edition.refresh_figures = False
    edition.withdrawn_at = None
    edition.withdrawal_reason = ""
    edition.updated_by = by
    edition._history_user = by
    edition.save(
        update_fields=[
            "refresh_figures",
            "withdrawn_at",
            "withdrawal_reason",
            "updated_by",
            "updated_at",
        ]
    )
    if email_subscribers:
        _announce(version)
    return version


# Withdrawal -------------------------------------------------------------------------------


@transaction.atomic
def bulletin_withdraw(*, bulletin: Bulletin, by, reason: str) -> list[Edition]:
    """Withdraw every published edition, saying why. Their pages, PDFs and feed entries
    stay, marked withdrawn with the reason: the record of what was published is kept."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            _("Say why the bulletin is withdrawn: the reason is shown on its public page."),
            code="reason_required",
        )
    locked = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
    editions = [e for e in _locked_editions(bulletin) if e.is_public and not e.is_withdrawn]
    policy.can_withdraw(by, locked).enforce()
    now = timezone.now()
    for edition in editions:
        edition.withdrawn_at = now
        edition.withdrawal_reason = reason
        edition.updated_by = by
        edition._history_user = by
        edition.save(
            update_fields=["withdrawn_at", "withdrawal_reason", "updated_by", "updated_at"]
        )
    return editions
