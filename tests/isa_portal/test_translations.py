"""The Welsh translations (issue 16, item 5; docs/decisions/0058): every string marked for
translation is in locale/cy/LC_MESSAGES/django.po with its Welsh, none fuzzy, placeholders intact,
and the committed django.mo is that .po compiled.

These need GNU gettext (``make gettext``; ``make test`` installs it): without it they fail rather
than skip, so a missing tool cannot pass for complete translations."""

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
PO = LOCALE / "cy" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
# Where strings are marked: the apps and the project's templates (not tests, docs or assets).
# The project's own apps (every one is imported when Django starts in the copy) and its templates.
SOURCES = (*(app.split(".")[0] for app in settings.INSTALLED_APPS if (Path(settings.BASE_DIR) / app).is_dir()),
           "templates")


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is missing: run `make gettext` (GNU gettext) before these tests."
    return path


def _run(*args, **kwargs) -> subprocess.CompletedProcess:
    """A gettext tool (or this interpreter) with arguments the test fixes."""
    return subprocess.run(args, check=True, capture_output=True, text=True, **kwargs)  # noqa: S603


def _catalog(mo: Path) -> dict:
    with mo.open("rb") as file:
        return dict(gettext.GNUTranslations(file)._catalog)


def _msgids(po: Path, work: Path) -> set[str]:
    """Every msgid of ``po`` (a plural entry by its singular), compiled in ``work``: ``msgen`` copies
    each msgid into its msgstr, so that every entry compiles, translated or not."""
    work.mkdir(parents=True, exist_ok=True)
    _run(_tool("msgen"), "-o", str(work / "all.po"), str(po))
    _run(_tool("msgfmt"), "-o", str(work / "all.mo"), str(work / "all.po"))
    return {key[0] if isinstance(key, tuple) else key for key in _catalog(work / "all.mo")} - {""}


def test_the_committed_mo_is_the_po_compiled(tmp_path):
    compiled = tmp_path / "django.mo"
    _run(_tool("msgfmt"), "--check", "-o", str(compiled), str(PO))

    assert _catalog(MO) == _catalog(compiled), (
        "locale/cy/LC_MESSAGES/django.mo is not the .po compiled: run `make compilemessages`.")


def test_every_entry_has_its_welsh_and_none_is_fuzzy():
    untranslated = _run(_tool("msgattrib"), "--untranslated", "--no-obsolete", str(PO)).stdout
    fuzzy = _run(_tool("msgattrib"), "--only-fuzzy", "--no-obsolete", str(PO)).stdout

    assert untranslated == "", f"Entries without Welsh:\n{untranslated}"
    assert fuzzy == "", f"Fuzzy entries (check the Welsh, then remove the flag):\n{fuzzy}"


def test_every_marked_string_is_in_the_po(tmp_path):
    """``makemessages`` run over a copy of the sources finds no string the committed .po lacks."""
    copy = tmp_path / "src"
    copy.mkdir()
    for name in SOURCES:
        shutil.copytree(Path(settings.BASE_DIR) / name, copy / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "migrations"))
    shutil.copy(Path(settings.BASE_DIR) / "manage.py", copy)
    shutil.copytree(LOCALE, copy / "locale")
    env = {**os.environ, "ISA_VAR_DIR": str(tmp_path / "var")}
    env.pop("DATABASE_URL", None)
    _tool("xgettext")
    _run(sys.executable, "manage.py", "makemessages", "-l", "cy", "--no-obsolete", cwd=copy, env=env)

    found = _msgids(copy / "locale" / "cy" / "LC_MESSAGES" / "django.po", tmp_path / "found")
    missing = found - _msgids(PO, tmp_path / "committed")
    assert found, "makemessages found no string at all: the check itself is broken."
    assert missing == set(), f"Marked but not in the .po (run `make messages`, then translate): {sorted(missing)}"


def test_the_catalogue_is_welsh_with_welsh_plural_forms():
    with MO.open("rb") as file:
        info = gettext.GNUTranslations(file).info()

    assert info["language"] == "cy"
    assert "nplurals=4" in info["plural-forms"]


@pytest.mark.parametrize(("english", "welsh"), [
    ("What's due", "Beth sy’n ddyledus"),
    ("Can I share?", "A gaf i rannu?"),
    ("There is a problem", "Mae problem wedi codi"),
    ("Sign the agreement", "Llofnodi’r cytundeb"),
])
def test_the_catalogue_holds_the_services_own_words(english, welsh):
    assert _catalog(MO)[english] == welsh
