"""Production settings: https only, HSTS for a year with subdomains, secure cookies, and
``manage.py check --deploy`` silent at warning level (docs/decisions/0022).

Settings are read once, when Django starts, from the environment; so each test starts a fresh
Python with a production environment (DEBUG off, a secret key, allowed hosts, the seal) and asks
it, rather than overriding settings in this process, which would test Django and not
``isa_portal/settings.py``."""

import copy
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HOST = "isa.example.gov.uk"

SETTINGS_AND_RESPONSES = """
import json
import django
django.setup()
from django.conf import settings
from django.test import Client

names = ["DEBUG", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
         "SECURE_HSTS_PRELOAD", "SECURE_PROXY_SSL_HEADER", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
         "SILENCED_SYSTEM_CHECKS", "EMAIL_BACKEND", "TASKS"]
client = Client(HTTP_HOST=%(host)r)
responses = {}
for label, extra in [("http", {}), ("https", {"secure": True}), ("proxied https", {"HTTP_X_FORWARDED_PROTO": "https"})]:
    response = client.get("/due/", **extra)
    responses[label] = [response.status_code, response.get("Location"), response.get("Strict-Transport-Security")]
import io
from django.core.management import call_command
from django.core.management.base import SystemCheckError
check = io.StringIO()
try:
    call_command("check", deploy=True, fail_level="WARNING", stdout=check, stderr=check)
    check_passed = True
except SystemCheckError as error:
    check.write(str(error))
    check_passed = False
print(json.dumps({
    "settings": {name: getattr(settings, name, None) for name in names}, "responses": responses,
    "check": {"passed": check_passed, "output": check.getvalue()},
}))
"""


@pytest.fixture
def environment(tmp_path, seal_files):
    """A production environment, as .env.example describes it, with throwaway values."""
    return _environment(tmp_path, seal_files)


def _environment(tmp_path, seal_files) -> dict:
    cert, key = seal_files
    env = {
        name: value for name, value in os.environ.items()
        if not name.startswith(("SECURE_", "DJANGO_", "TLS_", "EMAIL_", "NOTIFY_", "TASKS_"))
        and name not in {"DEBUG", "SECRET_KEY"}
    }
    env.update({
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
        "SITE_URL": f"https://{HOST}",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "ISA_VAR_DIR": str(tmp_path),
        "STATIC_ROOT": str(tmp_path / "static"),
        "PDF_SEAL_CERT": str(cert),
        "PDF_SEAL_KEY": str(key),
        "DJANGO_SETTINGS_MODULE": "isa_portal.settings",
        "PYTHONWARNINGS": "ignore",
    })
    return env


def run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (this interpreter, fixed arguments)
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False,
    )


def production(env: dict) -> dict:
    """What a fresh Python started with ``env`` says: its settings, three answers to a request, and
    ``manage.py check --deploy --fail-level WARNING`` (one process for all three: each costs a
    Django start-up)."""
    result = run(["-c", SETTINGS_AND_RESPONSES % {"host": HOST}], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def production_answer(tmp_path_factory, seal_files):
    """The answer of production as .env.example describes it, asked once for the module."""
    return production(_environment(tmp_path_factory.mktemp("production"), seal_files))


def test_check_deploy_reports_nothing_with_production_settings(production_answer):
    assert production_answer["check"]["passed"], production_answer["check"]["output"]
    assert "System check identified no issues" in production_answer["check"]["output"]


def test_production_is_https_only_with_a_years_hsts_including_subdomains_and_secure_cookies(production_answer):
    answer = copy.deepcopy(production_answer)
    silenced = answer["settings"].pop("SILENCED_SYSTEM_CHECKS")
    assert answer["settings"].pop("EMAIL_BACKEND") == "django.core.mail.backends.smtp.EmailBackend"
    answer["settings"].pop("TASKS")  # test_production_keeps_its_tasks_in_the_database_for_the_workers

    assert answer["settings"] == {
        "DEBUG": False,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": False,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
    }
    assert "security.W021" in silenced  # not preloaded, on purpose (docs/decisions/0022)
    assert answer["responses"] == {
        "http": [301, f"https://{HOST}/due/", None],
        "https": [302, "/sign-in/?next=/due/", "max-age=31536000; includeSubDomains"],
        "proxied https": [302, "/sign-in/?next=/due/", "max-age=31536000; includeSubDomains"],
    }


def test_production_keeps_its_tasks_in_the_database_for_the_workers(production_answer):
    assert production_answer["settings"]["TASKS"] == {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_check_deploy_fails_without_a_site_url_for_the_links_in_emails(environment):
    answer = production({name: value for name, value in environment.items() if name != "SITE_URL"})

    assert not answer["check"]["passed"]
    assert "(isa_portal.W001) SITE_URL is not set: links in e-mails would lead nowhere." in answer["check"]["output"]


def test_a_notify_api_key_chooses_notify_and_without_a_template_check_deploy_fails(environment):
    answer = production({**environment, "NOTIFY_API_KEY": f"isa_portal_test-{'1' * 36}-{'2' * 36}"})

    assert answer["settings"]["EMAIL_BACKEND"] == "isa_portal.notify_email.NotifyEmailBackend"
    assert not answer["check"]["passed"]
    assert ("(isa_portal.W002) E-mail goes through GOV.UK Notify, but NOTIFY_TEMPLATE_ID is not set: "
            "no e-mail would be sent.") in answer["check"]["output"]


def test_without_a_tls_proxy_a_forwarded_proto_header_is_not_trusted(environment):
    answer = production({**environment, "TLS_PROXY": "false"})

    assert answer["settings"]["SECURE_PROXY_SSL_HEADER"] is None
    assert answer["responses"]["proxied https"] == [301, f"https://{HOST}/due/", None]


def test_preloading_is_a_deployments_choice_and_then_not_silenced(environment):
    answer = production({**environment, "SECURE_HSTS_PRELOAD": "true"})

    assert answer["responses"]["https"][2] == "max-age=31536000; includeSubDomains; preload"
    assert "security.W021" not in answer["settings"]["SILENCED_SYSTEM_CHECKS"]
    assert answer["check"]["passed"], answer["check"]["output"]
    assert "(0 silenced)" in answer["check"]["output"]


def test_a_developers_machine_serves_plain_http(environment):
    local = {name: value for name, value in environment.items() if name not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}}

    answer = production({**local, "ALLOWED_HOSTS": HOST})

    assert answer["settings"]["DEBUG"] is True
    # `make run` needs no worker: each task runs in the process that asks for it (decision 0050).
    assert answer["settings"]["TASKS"] == {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert answer["settings"]["SECURE_SSL_REDIRECT"] is False
    assert answer["settings"]["SECURE_HSTS_SECONDS"] == 0
    assert answer["responses"]["http"][0] == 302  # to the sign-in page, not to https
