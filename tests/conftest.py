"""Fixtures shared by the whole suite. Helpers live in ``tests.auth``, ``tests.roles`` and
``tests.factories`` so test modules can import them.

The standard cast (``roles``) is built once per module and rolled back after it, as Django's
``TestCase.setUpTestData`` does: each test runs in its own savepoint inside the module's
transaction, and gets its own deep copy of the cast's objects. See ``roles`` below, and
docs/testing.md, "The standard cast".
"""

import contextlib
import copy
import datetime
import gc
import os
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from . import auth
from .roles import build_cast

# Settings every test runs with, set once per test process (xdist worker) rather than per test.
# PBKDF2's deliberate slowness costs a quarter of a second per factory user, so MD5 it is.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def seal_files(tmp_path_factory):
    """A throwaway self-signed seal certificate and key, made once per test process."""
    from agreements.seal import local_certificate_write

    folder = tmp_path_factory.mktemp("seal")
    cert, key = folder / "cert.pem", folder / "key.pem"
    local_certificate_write(cert, key)
    return cert, key


@pytest.fixture(scope="session", autouse=True)
def _suite_settings(tmp_path_factory, seal_files):
    """For the whole run: fast password hashing; uploaded files (signature scans) in this run's
    temporary folder, never the project's var/; signed copies sealed with a throwaway
    certificate, never var/seal/'s. A test may still change any of them with ``settings``."""
    cert, key = seal_files
    with override_settings(
        PASSWORD_HASHERS=FAST_PASSWORD_HASHERS,
        MEDIA_ROOT=tmp_path_factory.getbasetemp() / "private-media",
        PDF_SEAL_CERT=str(cert), PDF_SEAL_KEY=str(key), PDF_SEAL_KEY_PASSWORD="",
    ):
        yield


@pytest.fixture(scope="session", autouse=True)
def _pdf_rendered_once_per_document():
    """WeasyPrint renders each distinct document once per test process (docs/testing.md, "A fourth
    round"). ``agreements.pdf`` hands WeasyPrint a finished HTML string, its base URL and the
    static-only fetcher; the same three always give the same bytes (WeasyPrint writes no clock
    into a PDF), and a run asks for the same document again and again (the matrices' PDF rows,
    one per subject; every party's signed copy). So the bytes of a (string, base URL, write_pdf
    options) already rendered in this process are handed back instead of rendering it again: the
    options (``agreements.pdf.PDF_OPTIONS``, the PDF/UA-1 variant) are part of the key, as they
    change the bytes. Only a document whose fetcher ``agreements.pdf`` made itself is remembered:
    one rendered with a fetcher the caller hands in (a test's own, to read its ``asked`` and
    ``refused``) is always rendered."""
    from weasyprint import HTML

    from agreements import pdf

    rendered: dict[tuple, bytes] = {}

    class PortalsOwnFetcher(pdf.StaticOnlyURLFetcher):
        """What ``agreements.pdf`` makes when it is handed no fetcher (tests import the class
        itself by name when they collect, before this runs, so theirs are never this one)."""

    class Document:
        def __init__(self, *, string, base_url, url_fetcher):
            self.arguments = {"string": string, "base_url": base_url, "url_fetcher": url_fetcher}
            self.key = (string, base_url) if type(url_fetcher) is PortalsOwnFetcher else None

        def write_pdf(self, **options):
            if self.key is None:
                return HTML(**self.arguments).write_pdf(**options)
            # The options (the PDF variant, tagging) change the bytes as much as the string does.
            key = (*self.key, tuple(sorted(options.items())))
            if key not in rendered:
                rendered[key] = HTML(**self.arguments).write_pdf(**options)
            return rendered[key]

    originals = pdf.HTML, pdf.StaticOnlyURLFetcher
    pdf.HTML, pdf.StaticOnlyURLFetcher = Document, PortalsOwnFetcher
    yield
    pdf.HTML, pdf.StaticOnlyURLFetcher = originals


# The log's database guards (issue 12, item 4; PostgreSQL only) ---------------------------------


@pytest.fixture(scope="session", autouse=True)
def _log_database_guards(django_db_setup, django_db_blocker):
    """Flushes allowed through the log's TRUNCATE trigger, and its functions told the pinned day:
    ``tests.sharing_log.helpers.database``."""
    from .sharing_log.helpers.database import test_database_guards

    with django_db_blocker.unblock(), test_database_guards():
        yield


# The clock ------------------------------------------------------------------------------------


def _pinned(node) -> tuple[datetime.datetime, bool] | None:
    """``(when, tick)`` of the closest ``pinned_clock`` mark of a test, class or module."""
    marker = node.get_closest_marker("pinned_clock")
    if marker is None:
        return None
    when = marker.args[0] if marker.args else marker.kwargs["when"]
    return when, marker.kwargs.get("tick", True)


@pytest.fixture(autouse=True)
def _pinned_clock(request):
    """``@pytest.mark.pinned_clock(when, tick=True)`` on a test, class or module: the test runs
    with the clock moved to ``when`` (``time_machine``) before any other fixture of its own."""
    pinned = _pinned(request.node)
    if pinned is None:
        return None
    when, tick = pinned
    clock = request.getfixturevalue("time_machine")
    clock.move_to(when, tick=tick)
    return clock


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """Each test starts in the portal's default language. A request in Welsh (the language
    cookie, ``LocaleMiddleware``) leaves Welsh active in the thread after its response, and a
    later test in the same process would read lazily translated labels and errors in Welsh."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


# The standard cast ----------------------------------------------------------------------------

# The module whose shared cast is in the database now, if any (its transaction is open).
_shared_cast_module = None


@pytest.fixture(scope="module")
def _module_cast(request, django_db_setup, django_db_blocker):
    """The standard cast, built once for the module inside a transaction rolled back after it.

    Built at the module's ``pinned_clock`` if it has one (without ticking), else now. Yields
    ``(built_at, cast)``; the cast is never handed to a test as it is (``roles`` copies it).
    """
    global _shared_cast_module
    pinned = _pinned(request.node)
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with time_machine.travel(pinned[0], tick=False) if pinned else contextlib.nullcontext():
                cast = build_cast()
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    _shared_cast_module = request.node.nodeid
    yield (pinned[0] if pinned else None), cast
    _shared_cast_module = None
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(
        {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
        or (marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
    )


@pytest.fixture
def roles(_module_cast, db, request, _pinned_clock):
    """The standard cast: organisations, agreements and one user per subject (``tests.roles``).

    Built once per module and shared, as Django's ``TestCase.setUpTestData`` does: each test
    runs in a savepoint inside the module's transaction, rolled back to the cast after it, and
    gets its own deep copy of the cast's objects, so changing them in memory
    (``refresh_from_db``, ``roles.agreement.status = ...``, services setting attributes) changes
    nothing another test sees. The objects made on first use (``disclosure``...) are made by
    each test that asks, inside its own transaction.

    Built at the module's ``pinned_clock``, if any. A test that needs its cast built at another
    moment, or committed (transactional tests: the browser journeys), uses ``fresh_roles`` and
    must be in a module that does not share a cast.
    """
    built_at, cast = _module_cast
    if _is_transactional(request.node):
        pytest.fail("A transactional test cannot share its module's rolled-back cast: use `fresh_roles`.")
    pinned = _pinned(request.node)
    if (pinned[0] if pinned else None) != built_at:
        pytest.fail(
            f"The test pins the clock at {pinned and pinned[0]}, its module's shared cast was built at "
            f"{built_at}: mark the module (pytestmark) with the same pinned_clock, or use `fresh_roles`."
        )
    return copy.deepcopy(cast)


@pytest.fixture
def fresh_roles(db, request, _pinned_clock):
    """A standard cast of the test's own, built when the test asks (after any clock it pins),
    committed if the test is transactional. Its module must not share a cast (``roles``), or
    the two casts' usernames would collide."""
    if _shared_cast_module is not None:
        pytest.fail(
            f"{_shared_cast_module} shares a standard cast (`roles`) already: a test with a cast of its "
            "own (`fresh_roles`) belongs in a module whose tests do not ask for `roles`."
        )
    return build_cast()


@pytest.fixture
def sign_in():
    """``sign_in(client, user)``: the client becomes ``user``, two-factor verified."""
    return auth.sign_in


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    """The demo (``manage.py load_demo``), loaded once for the module that asks and rolled back
    after it; passwords hashed the fast way, as for every test."""
    import io

    from django.core.management import call_command

    fast_hashing = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), transaction.atomic(), fast_hashing:
        call_command("load_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_loaded, db):
    """The demo, for a test: ``demo_loaded`` with the test's own database access."""
    return None


@pytest.fixture
def art6(roles):
    """An Article 6 basis the cast's agreement in force cites, for logging under it."""
    from .factories import LegalGatewayFactory

    gateway = LegalGatewayFactory(art6=True)
    roles.agreement.gateways.add(gateway)
    return gateway


@pytest.fixture
def database_tasks(settings, monkeypatch):
    """Background tasks kept in the database (django-tasks-db), as in production, instead of the
    suite's immediate backend that runs each task when asked. Returns ``run_worker()``: runs
    ``manage.py db_worker`` for one batch (every task due now, then it stops)."""
    import signal

    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    # Between tasks the worker closes connections left in a transaction: here, the test's own.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}

    def run_worker() -> None:
        try:
            call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)
        finally:  # the worker takes over the signals to stop gracefully; give them back
            for number, handler in handlers.items():
                signal.signal(number, handler)

    return run_worker


def pytest_collection_finish(session):
    """Python's cyclic garbage collector, told once the tests are collected (docs/testing.md, "A
    fifth round"): what exists now (Django, the apps, WeasyPrint, Playwright, hypothesis and every
    collected test: some 200,000 objects) lives until the process ends, so it is frozen out of
    the collections (``gc.freeze``) instead of being walked again by each full one; and the
    youngest generation is collected every 5,000 allocations rather than 700. Together they took
    the collector from about a ninth of a worker's CPU time to about a twentieth. A test that
    needs a collection still asks for one: ``gc.collect()`` collects everything not frozen."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(5_000, 20, 50)


def pytest_configure(config):
    _start_at_isa_test_now()
    # WhiteNoise looks for collected static files, which tests never collect.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")
    config.addinivalue_line(
        "markers",
        "pinned_clock(when, tick=True): run the test (class, module) with the clock at ``when``; "
        "on a module, its shared standard cast is built at ``when`` too.",
    )


def _start_at_isa_test_now() -> "time_machine.travel | None":
    """``ISA_TEST_NOW=2027-06-30T23:40:00+00:00 make test``: the whole run's clock starts at that
    moment and ticks on (``time_machine``), in every worker, before any test module is imported.
    A test that passes today and fails at the end of a month, across midnight, in summer time or
    on 29 February reads "today" without pinning it (docs/testing.md, "The clock"). Tests marked
    ``pinned_clock`` still move it where they say."""
    when = os.environ.get("ISA_TEST_NOW")
    if not when:
        return None
    traveller = time_machine.travel(datetime.datetime.fromisoformat(when), tick=True)
    traveller.start()
    return traveller


# The browser tests (tests/browser), and the 320 px crawl first of all: the longest tests.
BROWSER_DIR = Path(__file__).resolve().parent / "browser"
LONGEST_FIRST = {BROWSER_DIR / "test_narrow_screens.py"}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Runs after pytest-django's hook, which orders the tests as Django does (those in a
    transaction first, then the transactional ones, then those without a database).

    The browser tests go first, the 320 px crawl first of all (docs/testing.md, "A fifth round"):
    they are the longest, and pytest-django's order put them last, where they left one xdist
    worker running the crawl alone for minutes while the other had nothing to do. The sort is
    stable, so the rest keep pytest-django's order. (A transactional test empties the tables
    after itself, so the tests after it start from an empty database, as they do after one
    another.)

    And a module's shared cast holds a transaction open through the module: a transactional test
    (``transactional_db``, ``live_server``) in the same module would run inside it."""
    items.sort(key=lambda item: (not item.path.is_relative_to(BROWSER_DIR), item.path not in LONGEST_FIRST))
    modules: dict = {}
    for item in items:
        module = getattr(item, "module", None)
        if module is not None:
            shared_transactional = modules.setdefault(module, [False, False])
            shared_transactional[0] |= "_module_cast" in item.fixturenames
            shared_transactional[1] |= _is_transactional(item)
    mixed = [module.__name__ for module, (shared, transactional) in modules.items() if shared and transactional]
    if mixed:
        raise pytest.UsageError(
            f"{', '.join(mixed)}: transactional tests and tests sharing the module's cast (`roles`) in one "
            "module; move the transactional ones to a module of their own, with `fresh_roles`."
        )
