from django.apps import AppConfig


class GovukBlocksConfig(AppConfig):
    name = "govuk_blocks"
    verbose_name = "GOV.UK building blocks"
