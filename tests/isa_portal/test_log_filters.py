"""Issue 12: a single-use link's secret never reaches the log (isa_portal/log_filters.py)."""

import logging
import logging.config

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(tmp_path):
    """What the project's own logging configuration writes, with its console handler to a file."""
    config = {**settings.LOGGING, "handlers": {
        name: {**handler, "class": "logging.FileHandler", "filename": str(tmp_path / "log")}
        for name, handler in settings.LOGGING["handlers"].items()
    }}
    logging.config.dictConfig(config)
    yield lambda: (tmp_path / "log").read_text()
    logging.config.dictConfig(settings.LOGGING)


def test_a_refused_link_is_logged_without_its_secret(logged):
    Client().get("/join/a-guessed-secret-abc123/")
    Client().get("/account/authenticator/reset/another-secret-xyz789/")

    text = logged()
    assert "Not Found: /join/<token>/" in text
    assert "Not Found: /account/authenticator/reset/<token>/" in text
    assert "a-guessed-secret-abc123" not in text and "another-secret-xyz789" not in text
