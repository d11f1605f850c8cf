"""The portal's own settings, with the reference views' URLs added (``bench.site.urls``).

Everything else comes from the environment exactly as in production (``bench.run`` sets DEBUG off,
a throwaway secret key and the scratch database's URL), so the pages are measured as served."""

from isa_portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.site.urls"
