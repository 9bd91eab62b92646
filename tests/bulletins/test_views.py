"""The coordinators' bulletin pages over HTTP: create, edit, autosave, build, follow, preview,
download; what the forms refuse; no inline script or style; the list's query count."""

import datetime
import re
import uuid

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from bulletins import services
from bulletins.models import Bulletin, BulletinStatus
from tests.bulletins.factories import BulletinFactory

# Mid-April 2026: the bulletins cover the first months of 2026.
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.time_machine(datetime.datetime(2026, 4, 15, 12, 0, tzinfo=datetime.UTC)),
]


@pytest.fixture
def cora(world, login):
    return login(world.user("coordinator"))


def _form(**changes) -> dict:
    values = {
        "number": "12",
        "title": "Bulletin of the first quarter",
        "language": "ar",
        "first_month": "2026-01",
        "last_month": "2026-03",
        "highlights": "One\nTwo",
        "situation_overview": "Floods.",
        "public_health_concerns": "",
        "health_response": "",
        "gaps_and_challenges": "",
        "coordination": "",
    }
    values.update(changes)
    return values


def _no_inline_script_or_style(html: str) -> None:
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "an inline script"
    assert not re.search(r"\sstyle\s*=", html), "a style attribute"
    assert "<style" not in html, "a style element"


def test_a_coordinator_creates_a_bulletin_and_is_sent_to_the_editor(cora, world):
    response = cora.post(reverse("bulletins:create"), _form())

    bulletin = Bulletin.objects.get(number=12)
    assert response.status_code == 302
    assert response["Location"] == reverse("bulletins:edit", kwargs={"pk": bulletin.pk})
    assert bulletin.language == "ar"
    assert bulletin.first_month == datetime.date(2026, 1, 1)
    assert bulletin.last_month == datetime.date(2026, 3, 1)
    assert bulletin.status == BulletinStatus.DRAFT
    assert bulletin.created_by == world.user("coordinator")
    assert bulletin.history.count() == 1


def test_the_create_form_refuses_a_last_month_before_the_first(cora):
    response = cora.post(
        reverse("bulletins:create"), _form(first_month="2026-03", last_month="2026-01")
    )

    assert response.status_code == 400
    assert "The last month cannot be before the first month." in response.content.decode()
    assert not Bulletin.objects.exists()


def test_the_create_form_refuses_a_number_already_used(cora):
    BulletinFactory(number=12)

    response = cora.post(reverse("bulletins:create"), _form())

    assert response.status_code == 400
    assert "Another bulletin already has this number." in response.content.decode()
    assert Bulletin.objects.count() == 1


def test_the_editor_refuses_more_than_four_highlights(cora):
    bulletin = BulletinFactory()

    response = cora.post(
        reverse("bulletins:edit", kwargs={"pk": bulletin.pk}),
        _form(number=bulletin.number, highlights="1\n2\n3\n- 4\n\n* 5"),
    )

    assert response.status_code == 400
    assert "Keep to at most 4 key messages; there are 5." in response.content.decode()
    bulletin.refresh_from_db()
    assert bulletin.highlights != "1\n2\n3\n- 4\n\n* 5"


def test_four_highlights_and_blank_lines_are_fine(cora):
    bulletin = BulletinFactory()

    response = cora.post(
        reverse("bulletins:edit", kwargs={"pk": bulletin.pk}),
        _form(number=bulletin.number, highlights="1\n\n2\n3\n- 4\n"),
    )

    assert response.status_code == 302
    bulletin.refresh_from_db()
    assert bulletin.highlight_list == ["1", "2", "3", "4"]


def test_the_editor_saves_and_sends_to_the_bulletin_page(cora):
    bulletin = BulletinFactory()

    response = cora.post(
        reverse("bulletins:edit", kwargs={"pk": bulletin.pk}),
        _form(number=bulletin.number, coordination="Weekly meetings in **Zed City**."),
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("bulletins:detail", kwargs={"pk": bulletin.pk})
    bulletin.refresh_from_db()
    assert bulletin.coordination == "Weekly meetings in **Zed City**."


def test_the_editor_page_has_labelled_fields_the_autosave_hook_and_no_inline_code(cora):
    bulletin = BulletinFactory()

    response = cora.get(reverse("bulletins:edit", kwargs={"pk": bulletin.pk}))

    html = response.content.decode()
    assert response.status_code == 200
    for name in ["number", "title", "first_month", "highlights", "situation_overview"]:
        assert f'<label class="form-label fw-semibold" for="id_{name}">' in html
    assert 'data-autosave-url="' + reverse("bulletins:autosave", kwargs={"pk": bulletin.pk}) in html
    assert 'aria-live="polite"' in html
    assert 'type="month"' in html
    assert 'value="2026-01"' in html
    assert "js/bulletin-editor.js" in html
    _no_inline_script_or_style(html)


def test_autosave_saves_the_text_and_says_when(cora):
    bulletin = BulletinFactory()
    history = bulletin.history.count()

    response = cora.post(
        reverse("bulletins:autosave", kwargs={"pk": bulletin.pk}),
        _form(number=bulletin.number, health_response="Typing…"),
        HTTP_X_REQUESTED_WITH="fetch",
    )

    data = response.json()
    assert response.status_code == 200
    assert data["saved"] is True
    assert re.fullmatch(r"Draft saved at \d\d:\d\d\.", data["message"])
    bulletin.refresh_from_db()
    assert bulletin.health_response == "Typing…"
    assert bulletin.history.count() == history, "the autosave leaves no history row"


def test_autosave_says_why_it_cannot_save_yet(cora):
    bulletin = BulletinFactory(health_response="Before")

    response = cora.post(
        reverse("bulletins:autosave", kwargs={"pk": bulletin.pk}),
        _form(number=bulletin.number, highlights="1\n2\n3\n4\n5", health_response="After"),
    )

    assert response.status_code == 400
    assert response.json()["message"].startswith("Not saved yet: Keep to at most 4")
    bulletin.refresh_from_db()
    assert bulletin.health_response == "Before"


def test_autosave_needs_the_csrf_token(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("coordinator"))
    bulletin = BulletinFactory()

    response = client.post(reverse("bulletins:autosave", kwargs={"pk": bulletin.pk}), _form())

    assert response.status_code == 403


def test_build_runs_in_process_without_redis_and_shows_the_result(cora, profile):
    bulletin = BulletinFactory()

    response = cora.post(reverse("bulletins:build", kwargs={"pk": bulletin.pk}), follow=True)

    html = response.content.decode()
    assert "The bulletin is built." in html
    assert "Download the PDF" in html
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.READY


def test_build_when_the_queue_is_down_says_so_at_once(cora, monkeypatch):
    from kombu.exceptions import OperationalError

    from bulletins import tasks

    def down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6399. Connection refused.")

    monkeypatch.setattr(tasks.build_bulletin, "apply_async", down)
    bulletin = BulletinFactory()

    response = cora.post(reverse("bulletins:build", kwargs={"pk": bulletin.pk}), follow=True)

    html = response.content.decode()
    assert "The task queue cannot be reached" in html
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.FAILED
    assert bulletin.shown_reason.startswith("The task queue cannot be reached")


def test_the_status_json_follows_the_build(cora, settings):
    settings.BULLETIN_HEARTBEAT_TIMEOUT = 30
    bulletin = BulletinFactory()
    url = reverse("bulletins:status", kwargs={"pk": bulletin.pk})
    Bulletin.objects.filter(pk=bulletin.pk).update(
        status=BulletinStatus.BUILDING, build_token=uuid.uuid4(), heartbeat_at=timezone.now()
    )

    building = cora.get(url).json()
    Bulletin.objects.filter(pk=bulletin.pk).update(
        heartbeat_at=timezone.now() - datetime.timedelta(seconds=31)
    )
    stale = cora.get(url).json()

    assert building["status"] == "building"
    assert building["label"] == "Building"
    assert building["in_progress"] is True
    assert building["has_pdf"] is False
    assert stale["status"] == "failed"
    assert stale["in_progress"] is False
    assert "stopped answering" in stale["reason"]
    assert "no-store" in cora.get(url)["Cache-Control"]


def test_the_status_page_polls_while_building_and_offers_a_refresh_link(cora):
    bulletin = BulletinFactory()
    Bulletin.objects.filter(pk=bulletin.pk).update(
        status=BulletinStatus.QUEUED, build_token=uuid.uuid4(), queued_at=timezone.now()
    )

    html = cora.get(reverse("bulletins:detail", kwargs={"pk": bulletin.pk})).content.decode()

    assert 'data-poll="on"' in html
    assert "js/bulletin-status.js" in html
    assert "Refresh to see its progress" in html
    assert 'role="status" aria-live="polite"' in html
    assert "Waiting to be built" in html
    assert '<meta http-equiv="refresh"' not in html
    _no_inline_script_or_style(html)


def test_the_status_page_shows_a_failure_in_plain_words(cora):
    bulletin = BulletinFactory()
    token = uuid.uuid4()
    Bulletin.objects.filter(pk=bulletin.pk).update(
        status=BulletinStatus.QUEUED, build_token=token, queued_at=timezone.now()
    )
    services.build_fail(bulletin_id=bulletin.pk, token=token, reason="database")

    html = cora.get(reverse("bulletins:detail", kwargs={"pk": bulletin.pk})).content.decode()

    assert 'data-poll="off"' in html
    assert "Build failed" in html
    assert "The database could not be reached during the build. Build again." in html


def test_the_preview_is_the_print_layout_under_the_strict_csp(cora, profile, validated_rows):
    bulletin = BulletinFactory(language="ar", title="نشرة الربع الأول")

    response = cora.get(reverse("bulletins:preview", kwargs={"pk": bulletin.pk}))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="ar" dir="rtl">' in html
    assert "css/bulletin-print.css" in html
    assert "نشرة الربع الأول" in html
    assert "الشمال" in html  # the area's Arabic name from today's figures
    assert "data:image/svg+xml;base64," in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "style-src 'self'" in response["Content-Security-Policy"]
    _no_inline_script_or_style(html)


def test_download_serves_the_pdf_as_an_attachment(cora):
    bulletin = BulletinFactory(number=7)
    bulletin.pdf.save("x.pdf", ContentFile(b"%PDF-1.7 test"), save=True)

    response = cora.get(reverse("bulletins:download", kwargs={"pk": bulletin.pk}))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 test"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="bulletin-7-en.pdf"'
    assert "private" in response["Cache-Control"]


def test_the_pdf_has_no_public_address(settings):
    assert not settings.MEDIA_URL.startswith("/media")
    from django.urls import Resolver404, resolve

    with pytest.raises(Resolver404):
        resolve(settings.MEDIA_URL + "bulletins/x.pdf")


def test_the_list_page_makes_the_same_queries_for_three_or_thirty_bulletins(
    cora, django_assert_max_num_queries, world, settings
):
    settings.BULLETIN_HEARTBEAT_TIMEOUT = 30
    for number in range(3):
        BulletinFactory(number=number + 1, updated_by=world.user("coordinator"))
    url = reverse("bulletins:list")
    cora.get(url)
    with django_assert_max_num_queries(6) as few:
        response = cora.get(url)
    for number in range(3, 30):
        BulletinFactory(number=number + 1, updated_by=world.user("focal"))
    Bulletin.objects.filter(number=30).update(
        status=BulletinStatus.BUILDING,
        build_token=uuid.uuid4(),
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=5),
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = cora.get(url)

    html = response.content.decode()
    assert len(re.findall(r'href="/en/bulletins/manage/\d+/"', html)) == 30
    assert "Build failed" in html, "a silent build shows failed in the list"
    _no_inline_script_or_style(html)


def test_my_tasks_lists_failed_builds_for_coordinators_only(world, login):
    bulletin = BulletinFactory()
    Bulletin.objects.filter(pk=bulletin.pk).update(
        status=BulletinStatus.FAILED, status_reason="stopped"
    )

    coordinator_page = login(world.user("coordinator")).get(reverse("my_tasks")).content.decode()
    member_page = login(world.user("focal")).get(reverse("my_tasks")).content.decode()

    assert "Bulletin builds that failed" in coordinator_page
    assert "The PDF of 1 bulletin could not be built" in coordinator_page
    assert "Bulletin builds that failed" not in member_page


def test_the_create_form_offers_the_next_number(cora):
    BulletinFactory(number=7)
    BulletinFactory(number=9)
    form = cora.get(reverse("bulletins:create")).context["form"]
    assert form["number"].value() == 10


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("en", "Zedland Health Cluster Bulletin, January \N{EN DASH} March 2026"),
        ("ar", None),
    ],
)
def test_a_title_left_empty_is_the_cluster_s_name_and_the_months(cora, language, title):
    from strategy.models import ClusterProfile

    ClusterProfile(
        pk=1, cluster_name_en="Zedland Health Cluster", cluster_name_ar="مجموعة الصحة في زدلاند"
    ).save()
    cora.post(reverse("bulletins:create"), _form(title="", language=language))
    bulletin = Bulletin.objects.get(number=12)
    if language == "en":
        assert bulletin.title == title
    else:
        # In Arabic: the cluster's Arabic name and the months' Arabic names.
        assert "مجموعة الصحة في زدلاند" in bulletin.title
        assert "مارس" in bulletin.title
        assert "2026" in bulletin.title


def test_the_title_is_fixed_once_the_bulletin_is_published(cora):
    from tests.bulletins.test_publication import published_bulletin

    bulletin = published_bulletin(title="Bulletin of early 2026")
    form = cora.get(reverse("bulletins:edit", kwargs={"pk": bulletin.pk})).context["form"]
    assert form.fields["title"].disabled
    assert form.fields["number"].disabled
