"""The WSGI application (isa_portal/wsgi.py): loaded, it freezes what lives as long as the process
out of the garbage collector's way, WeasyPrint included. Run in a process of its own: freezing
this one would change every later test's collector."""

import subprocess
import sys

from django.conf import settings

PROBE = """
import gc, sys
import isa_portal.wsgi
print(gc.get_freeze_count() > 50_000, "weasyprint" in sys.modules, "agreements.views.documents" in sys.modules)
"""


def test_the_application_loads_its_views_and_weasyprint_then_freezes_them():
    env = {"DJANGO_SETTINGS_MODULE": "isa_portal.settings", "DATABASE_URL": "sqlite:///:memory:",
           "PATH": "/usr/bin:/bin", "HOME": str(settings.BASE_DIR)}

    probe = subprocess.run([sys.executable, "-c", PROBE], cwd=settings.BASE_DIR, env=env,  # noqa: S603
                           capture_output=True, text=True, check=True)

    assert probe.stdout.split() == ["True", "True", "True"], probe.stderr
