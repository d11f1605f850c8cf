from django.apps import AppConfig


class SharingLogConfig(AppConfig):
    name = "sharing_log"
    verbose_name = "Sharing log"
