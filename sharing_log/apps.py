from django.apps import AppConfig
from django.db.models.signals import post_migrate


def install_database_guards(sender, using, **kwargs):
    """After every migrate — the test databases built from the models included — (re)install the
    log's grants, triggers and functions (PostgreSQL only; ``sharing_log.database``)."""
    from django.db import connections

    from .database import install

    install(connections[using])


class SharingLogConfig(AppConfig):
    name = "sharing_log"
    verbose_name = "Sharing log"

    def ready(self):
        from . import (
            guards,  # noqa: F401 – the many-to-many guard on an entry's gateways
            receivers,  # noqa: F401 – retention dates when an agreement's rule changes
        )

        post_migrate.connect(install_database_guards, sender=self, dispatch_uid="sharing_log_database_guards")
