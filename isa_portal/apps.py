from django.apps import AppConfig


class IsaPortalConfig(AppConfig):
    name = "isa_portal"
    verbose_name = "ISA Portal"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401  (registers the deployment checks)
        from .middleware import session_start

        user_logged_in.connect(session_start, dispatch_uid="isa_portal.session_start")
