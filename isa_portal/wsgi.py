"""The WSGI application gunicorn serves (``gunicorn isa_portal.wsgi``; ``make bench`` too).

Once Django is set up, what lives as long as the process is loaded and frozen out of the garbage
collector's way (``gc.freeze``): every view module through the URLconf, and WeasyPrint, which
the first PDF would otherwise import. Rendering a PDF makes so many objects that every other
render set off a full collection, and a full collection walked every object of the process:
about 145 ms added to every second PDF, and to whatever page came after it. Frozen, the
collector walks only what requests make: about 30 ms, and no object stays alive that would not
have (issue 15; docs/PERFORMANCE.md).
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "isa_portal.settings")
application = get_wsgi_application()


def _freeze_what_lives_as_long_as_the_process() -> None:
    from django.urls import get_resolver

    import agreements.pdf  # noqa: F401 - WeasyPrint and the fonts' modules, else loaded by the first PDF

    get_resolver().url_patterns  # noqa: B018 - every view module, and what each imports
    gc.freeze()


_freeze_what_lives_as_long_as_the_process()
