"""Every role's main pages on a 390 px phone: nothing scrolls sideways, and axe-core finds no
serious or critical violation.

axe-core is vendored (tests/e2e/vendor/axe-4.10.3.min.js, MPL-2.0, its licence beside it) and
injected into the page; the pages' Content-Security-Policy forbids that, so these contexts
bypass it (``bypass_csp``). Add a page to PAGES and it is checked for its role.
"""

from pathlib import Path

import pytest

from tests.e2e.conftest import screenshot

AXE = Path(__file__).parent / "vendor" / "axe-4.10.3.min.js"
PHONE = {"width": 390, "height": 844}

# role (demo account, None = not logged in) → its main pages. {open} is the year of the open
# period, {published} the latest published year.
PAGES = {
    "officer": ("canbo.tuphap", ["/todo/", "/assessments/{open}/STP/", "/inbox/"]),
    "unit head": ("lanhdao.tuphap", ["/assessments/{open}/STP/"]),
    "reviewer": (
        "thamdinh",
        ["/todo/", "/review/{open}/", "/assessments/{published}/STP/appraise/"],
    ),
    "approver": (
        "pheduyet",
        ["/review/{open}/", "/review/{open}/adjustments/", "/review/{open}/progress/"],
    ),
    "administrator": ("admin", ["/accounts/"]),
    "leader": (
        "lanhdao",
        ["/dashboard/", "/rankings/{published}/", "/units/STP/", "/trends/?units=STP"],
    ),
    "anonymous": (
        None,
        ["/", "/rankings/{published}/", "/rankings/{published}/SO/", "/dashboard/"],
    ),
}

# axe.run starts on one page once this call has returned, and its result is read after the next
# page is loaded: the browser checks one page while the live server renders the next.
START_AXE = """() => {
  window.seriousViolations = new Promise(resolve => setTimeout(resolve))
    .then(() => axe.run(document, {resultTypes: ["violations"]}))
    .then(result => result.violations
      .filter(v => v.impact === "serious" || v.impact === "critical")
      .map(v => `${v.id} (${v.impact}): `
        + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join("; ")));
}"""
AXE_RESULT = "() => window.seriousViolations"


def years():
    from parindex.core.models import Period, PeriodStatus

    published = Period.objects.filter(status=PeriodStatus.PUBLISHED).order_by("-year").first()
    current = Period.objects.exclude(status=PeriodStatus.PUBLISHED).order_by("-year").first()
    return {"open": current.year, "published": published.year}


def phone_page(browser, base, username):
    """A page on a phone, logged in as ``username``: the session is opened on the server side
    and given to the browser as its cookie (the login form has tests of its own)."""
    context = browser.new_context(viewport=PHONE, locale="vi-VN", bypass_csp=True)
    if username:
        from django.conf import settings
        from django.test import Client

        from parindex.core.models import User

        client = Client()
        client.force_login(User.objects.get(username=username))
        name = settings.SESSION_COOKIE_NAME
        context.add_cookies([{"name": name, "value": client.cookies[name].value, "url": base}])
    return context.new_page()


def settle(page):
    """Wait until plotly has drawn the charts (their controls are part of what is checked)."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-figure]')]"
        ".every(el => el.dataset.drawn === 'true')",
        timeout=15000,
    )


@pytest.mark.e2e
def test_every_main_page_of_every_role_fits_a_phone_and_has_no_serious_axe_violation(
    demo_live, browser
):
    """One demo for every role (the pages only read): what each role finds wrong, by page."""
    found = {}
    year = years()
    contexts = []
    checking = None  # (role, path, page, sideways px) of the page whose axe run is under way

    def finish(role, path, page, wide):
        problems = page.evaluate(AXE_RESULT)
        if wide > 0 or problems:
            found[f"{role} {path}"] = {"scrolls sideways by px": wide, "axe": problems}
        screenshot(page, f"phone-{role}-{path.strip('/').replace('/', '-') or 'home'}")

    try:
        for role, (username, paths) in sorted(PAGES.items()):
            pages = [phone_page(browser, demo_live.url, username)]
            contexts.append(pages[0].context)
            for number, path in enumerate(paths):
                # Two pages by turns: the other one may still be checked.
                if number == len(pages):
                    pages.append(contexts[-1].new_page())
                page = pages[number % 2]
                page.goto(demo_live.url + path.format(**year))
                assert "/accounts/login/" not in page.url, (role, path)
                settle(page)
                wide = page.evaluate(
                    "() => document.documentElement.scrollWidth - window.innerWidth"
                )
                page.add_script_tag(path=str(AXE))
                page.evaluate(START_AXE)
                if checking:
                    finish(*checking)
                checking = (role, path, page, wide)
        finish(*checking)
    finally:
        for context in contexts:
            context.close()
    assert found == {}


@pytest.mark.e2e
def test_the_phone_menu_opens_the_header_links_and_nothing_scrolls_sideways(demo_live, browser):
    page = phone_page(browser, demo_live.url, "thamdinh")
    page.goto(demo_live.url + "/review/")
    logout = page.get_by_role("button", name="Đăng xuất")
    assert not logout.is_visible()
    page.get_by_role("button", name="Menu").click()
    assert logout.is_visible()
    assert page.get_by_role("button", name="Menu").get_attribute("aria-expanded") == "true"
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    page.context.close()


@pytest.mark.e2e
def test_the_criteria_search_of_the_entry_page_ignores_diacritics(demo_live, browser):
    page = phone_page(browser, demo_live.url, "canbo.tuphap")
    page.goto(demo_live.url + "/assessments/")
    every = page.locator("article.leaf:visible").count()
    page.get_by_label("Tìm tiêu chí (mã hoặc nội dung)").fill("KE HOACH cchc")
    shown = page.locator("article.leaf:visible")
    assert 0 < shown.count() < every
    for title in shown.locator(".title").all_inner_texts():
        assert "kế hoạch cchc" in title.lower()
    page.get_by_label("Tìm tiêu chí (mã hoặc nội dung)").fill("")
    assert page.locator("article.leaf:visible").count() == every
    page.context.close()
