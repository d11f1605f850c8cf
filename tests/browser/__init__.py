"""Browser tests: real Chromium, driven by Playwright, against pytest-django's live server.

Fixtures are in ``conftest.py``; helpers to import are in ``tests.browser.helpers``.
See docs/testing.md.
"""
