from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = "Partners and contacts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import checks, signals  # noqa: F401  (registers the drift check and the grants receivers)
        from .middleware import remember_memberships

        user_logged_in.connect(remember_memberships, dispatch_uid="partners.remember_memberships")
