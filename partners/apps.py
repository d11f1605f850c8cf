from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = "Partners and contacts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from . import checks, signals  # noqa: F401  (registers the drift check and the grants receivers)
        from .middleware import remember_memberships
        from .sessions import session_signed_in, session_signed_out

        user_logged_in.connect(remember_memberships, dispatch_uid="partners.remember_memberships")
        user_logged_in.connect(session_signed_in, dispatch_uid="partners.session_signed_in")
        user_logged_out.connect(session_signed_out, dispatch_uid="partners.session_signed_out")
