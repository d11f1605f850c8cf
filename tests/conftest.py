"""Fixtures shared by the whole suite. Helpers live in ``tests.auth``, ``tests.roles`` and
``tests.factories`` so test modules can import them."""

import pytest

from . import auth
from .roles import build_cast


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2's deliberate slowness costs a quarter of a second per factory user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path_factory):
    # Uploaded files (signature scans) go to this run's temporary folder, never the project's var/.
    settings.MEDIA_ROOT = tmp_path_factory.getbasetemp() / "private-media"


@pytest.fixture(scope="session")
def seal_files(tmp_path_factory):
    """A throwaway self-signed seal certificate and key, made once per test process."""
    from agreements.seal import local_certificate_write

    folder = tmp_path_factory.mktemp("seal")
    cert, key = folder / "cert.pem", folder / "key.pem"
    local_certificate_write(cert, key)
    return cert, key


@pytest.fixture(autouse=True)
def _seal_certificate(settings, seal_files):
    # Signed copies are sealed when frozen; never with the project's var/seal/ certificate.
    settings.PDF_SEAL_CERT, settings.PDF_SEAL_KEY = (str(path) for path in seal_files)
    settings.PDF_SEAL_KEY_PASSWORD = ""


@pytest.fixture
def roles(db):
    """The standard cast: organisations, agreements and one user per subject (``tests.roles``)."""
    return build_cast()


@pytest.fixture
def sign_in():
    """``sign_in(client, user)``: the client becomes ``user``, two-factor verified."""
    return auth.sign_in


def pytest_configure(config):
    # WhiteNoise looks for collected static files, which tests never collect.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")
