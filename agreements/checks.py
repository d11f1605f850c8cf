"""System checks: ``manage.py check --deploy`` warns when signed copies cannot be sealed, since
the portal then freezes none (docs/decisions/0016)."""

from django.core.checks import Warning, register

from .seal import SealNotConfigured, seal_signer


@register(deploy=True)
def seal_certificate_check(app_configs, **kwargs):
    try:
        seal_signer()
    except SealNotConfigured as problem:
        return [Warning(
            f"Signed copies cannot be sealed: {problem}.",
            hint="Set PDF_SEAL_CERT and PDF_SEAL_KEY (and PDF_SEAL_KEY_PASSWORD if the key is encrypted).",
            id="agreements.W001",
        )]
    return []
