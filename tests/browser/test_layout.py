"""No page is wider than the window, and the navigation bar keeps to one line, at a phone's,
a small laptop's, a laptop's and a large screen's width, in English and in Arabic.

On the demo's records (long names, both languages, every workflow under way), each role's
pages are found as a person finds them: from the home page and My tasks, following links
three deep (``bench/pages.py``'s walk, one page per URL name). A page another role already
loaded is not loaded again, but every role loads its home page and My tasks, whose bars
differ. Each page is loaded once per language and the window resized through the four
widths without reloading.
"""

import pytest
from django.core.management import call_command
from django.test import Client

from bench.pages import discover
from demo.partners import DEMO_PASSWORD
from tests.browser_fixtures import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 1024, 1280, 1920)
HEIGHT = 900
ROLES = {
    "coordinator": "coordinator@demo.local",
    "focal point": "focal@demo.local",
    "partner staff": "staff@demo.local",
    "anonymous": None,
}
START_PAGES = ["/en/", "/en/tasks/"]
LANGUAGES = ("en", "ar")

# How wide the document is against the window, how far apart (vertically) the navigation
# bar's visible items are (more than half an item's height: the bar wrapped), and how much
# higher its highest item is than its lowest (half as high again: a link broke in two).
MEASURE = """() => {
  const root = document.documentElement;
  const bar = document.querySelector('header nav.navbar > .container');
  if (bar === null) return {document: root.scrollWidth, window: root.clientWidth, bar: false};
  const items = [...bar.children].flatMap(child =>
    child.classList.contains('navbar-collapse')
      ? [...child.querySelectorAll(':scope > .navbar-nav > .nav-item')]
      : [child]
  ).filter(item => item.getClientRects().length > 0);
  const boxes = items.map(item => item.getBoundingClientRect());
  return {
    document: root.scrollWidth,
    window: root.clientWidth,
    bar: true,
    spread: Math.max(...boxes.map(box => box.top)) - Math.min(...boxes.map(box => box.top)),
    line: Math.min(...boxes.map(box => box.height)),
    tallest: Math.max(...boxes.map(box => box.height)),
  };
}"""


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


def _pages(email: str | None, loaded: set[str]) -> list[str]:
    """The role's start pages, and the pages of URL names no role before it loaded."""
    client = Client(HTTP_HOST="testserver")
    if email:
        assert client.login(email=email, password=DEMO_PASSWORD)
    found = discover(client, "", START_PAGES, depth=3, per_name=1)
    pages = [page.path for page in found if page.path in START_PAGES or page.name not in loaded]
    loaded.update(page.name for page in found)
    return pages


def _problems(page, url: str) -> list[str]:
    found = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": HEIGHT})
        measured = page.evaluate(MEASURE)
        if measured["document"] > measured["window"]:
            found.append(f"{url} at {width} px: {measured['document']} px wide")
        # A bulletin's print preview has its own bar, not the portal's.
        if not measured["bar"]:
            continue
        if measured["spread"] > measured["line"] / 2:
            found.append(f"{url} at {width} px: the navigation bar wraps")
        if measured["tallest"] > 1.5 * measured["line"]:
            found.append(f"{url} at {width} px: a link of the navigation bar breaks in two")
    return found


def test_no_page_is_wider_than_the_window_nor_its_bar_on_two_lines(browser, live_site, demo):
    problems, loaded, names = [], 0, set()
    for role, email in ROLES.items():
        context = browser.new_context(base_url=live_site.url, locale="en-GB")
        page = context.new_page()
        if email:
            log_in(page, email, DEMO_PASSWORD)
        for path in _pages(email, names):
            for language in LANGUAGES:
                url = f"/{language}/{path.removeprefix('/en/')}"
                page.set_viewport_size({"width": WIDTHS[-1], "height": HEIGHT})
                assert page.goto(url).status == 200, f"{url} as {role}"
                problems += [f"{problem} ({role})" for problem in _problems(page, url)]
                loaded += 1
        context.close()
    assert loaded > 150, f"only {loaded} pages were loaded"
    assert not problems, "\n".join(problems)
