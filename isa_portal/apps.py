from django.apps import AppConfig


class IsaPortalConfig(AppConfig):
    name = "isa_portal"
    verbose_name = "ISA Portal"
