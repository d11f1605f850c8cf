"""Legal gateways (agreements/models/gateways.py, services/gateways.py): the catalogue's
rules the database holds, and saving a gateway."""


import pytest

from agreements.models import (
    GatewayStatus,
    LegalGateway,
)
from agreements.services import (
    gateway_save,
)
from tests.db import violates
from tests.factories import (
    LegalGatewayFactory,
)

pytestmark = pytest.mark.django_db


class TestLegalGateway:
    def test_cannot_be_replaced_by_itself(self):
        gateway = LegalGatewayFactory(repealed=True)

        with violates(LegalGateway, "gateway_not_replaced_by_itself"):
            LegalGateway.objects.filter(pk=gateway.pk).update(replaced_by=gateway)

    def test_repealed_gateway_may_name_its_replacement(self):
        replacement = LegalGatewayFactory(schedule1=True)
        repealed = LegalGatewayFactory(repealed=True)

        LegalGateway.objects.filter(pk=repealed.pk).update(replaced_by=replacement)

        assert list(replacement.replaces.all()) == [repealed]

    def test_current_gateway_cannot_have_a_replacement(self):
        replacement, gateway = LegalGatewayFactory(), LegalGatewayFactory()

        with violates(LegalGateway, "gateway_replacement_only_when_not_current"):
            LegalGateway.objects.filter(pk=gateway.pk).update(replaced_by=replacement)

    def test_superseded_gateway_may_have_a_replacement(self):
        replacement = LegalGatewayFactory()
        gateway = LegalGatewayFactory(status=GatewayStatus.SUPERSEDED)

        LegalGateway.objects.filter(pk=gateway.pk).update(replaced_by=replacement)

        gateway.refresh_from_db()
        assert gateway.replaced_by == replacement


class TestGatewaySave:
    def test_creates_then_updates_the_gateway_of_that_key(self):
        gateway_save(key="cda-1998-s115", instrument="Crime and Disorder Act 1998",
                     provision="s115", title="Disclosure of information", category="statute")

        gateway = gateway_save(key="cda-1998-s115", summary="Any person may disclose to a relevant authority.")

        assert (gateway.provision, gateway.summary) == (
            "s115", "Any person may disclose to a relevant authority.",
        )
        assert LegalGateway.objects.count() == 1
