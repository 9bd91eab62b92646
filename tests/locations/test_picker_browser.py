"""The area picker in Chromium: live search with JavaScript, and the same page without it."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.urls("tests.locations.picker_urls")]


def _open(browser, live_server, *, javascript: bool):
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    errors: list[str] = []
    # Script errors and CSP refusals; a missing favicon is no concern of the picker's.
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and errors.append(message.text),
    )
    page.goto(f"{live_server.url}/picker-demo/")
    return page, errors


@pytest.mark.django_db(transaction=True)
def test_typing_in_the_picker_shows_matches_live_and_the_choice_is_saved(
    browser, live_server, demo_areas
):
    page, errors = _open(browser, live_server, javascript=True)

    page.fill("#id_areas__q", "coral")
    page.wait_for_selector("#id_areas_DL0402")
    assert "Coralbay (DL0402) — Coastal Region" in page.inner_text("[data-area-picker]")
    page.check("#id_areas_DL0402")

    # A second search keeps the ticked area and adds the new matches.
    page.fill("#id_areas__q", "willow")
    page.wait_for_selector("#id_areas_DL0201")
    assert page.is_checked("#id_areas_DL0402")
    page.check("#id_areas_DL0201")

    # Enter in the search box searches; it does not submit the form.
    page.fill("#id_areas__q", "sandspring")
    page.press("#id_areas__q", "Enter")
    page.wait_for_selector("#id_areas_DL0303")
    assert page.locator("#chosen").count() == 0

    page.click("#save")
    assert page.inner_text("#chosen") == "DL0201 DL0402"
    assert errors == []


@pytest.mark.django_db(transaction=True)
def test_without_javascript_the_search_button_finds_areas_and_the_choice_is_saved(
    browser, live_server, demo_areas
):
    page, _ = _open(browser, live_server, javascript=False)

    page.fill("#id_areas__q", "pinecrest")
    page.click("button[name=_area_search]")
    page.check("#id_areas_DL010102")
    page.click("#save")

    assert page.inner_text("#chosen") == "DL010102"
