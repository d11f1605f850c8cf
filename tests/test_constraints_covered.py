"""Every named database constraint has a test that proves the database refuses a bad row, in
its app's tests: ``tests/<app>/test_models.py`` for an app of modules by role (partners), the
feature's ``tests/<app>/test_<feature>.py`` for an app of packages by feature."""

from pathlib import Path

import pytest
from django.apps import apps

APPS = ("partners", "agreements", "sharing_log", "api")
TESTS = Path(__file__).parent


@pytest.mark.parametrize("app_label", APPS)
def test_every_named_constraint_is_proven_in_the_apps_model_tests(app_label):
    folder = TESTS / app_label
    source = "\n".join(module.read_text() for module in sorted(folder.glob("test_*.py")))
    names = {
        constraint.name
        for model in apps.get_app_config(app_label).get_models()
        for constraint in model._meta.constraints
    }

    untested = sorted(name for name in names if f'"{name}")' not in source)
    assert not untested, (
        f"No violates(Model, \"<name>\") test in {folder.relative_to(TESTS.parent)}/test_*.py for: "
        + ", ".join(untested)
    )
