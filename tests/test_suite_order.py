"""The order the suite runs in (docs/testing.md, "A fifth round"): the browser tests first, the
320 px crawl first of all, so that the longest tests are never the last ones an xdist worker is
left running alone. ``tests/conftest.py`` orders them after pytest-django has ordered the rest;
pytest-django alone would put every transactional test, so every browser test, last."""

from tests.conftest import BROWSER_DIR, LONGEST_FIRST


def test_the_browser_tests_run_first_and_the_crawl_before_them_all(request):
    items = request.session.items
    browser = [item.path.is_relative_to(BROWSER_DIR) for item in items]
    # Every browser test collected comes before every other test.
    assert browser == sorted(browser, reverse=True), [
        item.nodeid for item, is_browser in zip(items, browser, strict=True) if is_browser
    ][:5]
    longest = [item for item in items if item.path in LONGEST_FIRST]
    if longest:
        assert items[: len(longest)] == longest, [item.nodeid for item in items[:3]]
