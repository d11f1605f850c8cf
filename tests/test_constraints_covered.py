"""Every named database constraint has a test that proves the database refuses a bad row."""

from pathlib import Path

import pytest
from django.apps import apps

APPS = ("partners", "agreements", "sharing_log")
TESTS = Path(__file__).parent


@pytest.mark.parametrize("app_label", APPS)
def test_every_named_constraint_is_proven_in_the_apps_model_tests(app_label):
    module = TESTS / app_label / "test_models.py"
    source = module.read_text()
    names = {
        constraint.name
        for model in apps.get_app_config(app_label).get_models()
        for constraint in model._meta.constraints
    }

    untested = sorted(name for name in names if f'"{name}")' not in source)
    assert not untested, (
        f"No violates(Model, \"<name>\") test in {module.relative_to(TESTS.parent)} for: "
        + ", ".join(untested)
    )
