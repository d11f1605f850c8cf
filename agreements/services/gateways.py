"""Writes for the legal gateway catalogue (reference data)."""

from django.db import transaction

from ..models import LegalGateway


@transaction.atomic
def gateway_save(*, key: str, **fields) -> LegalGateway:
    """Create or update one entry of the legal gateway catalogue (reference data)."""
    gateway = LegalGateway.objects.filter(key=key).first() or LegalGateway(key=key)
    for name, value in fields.items():
        setattr(gateway, name, value)
    gateway.full_clean()
    gateway.save()
    return gateway
