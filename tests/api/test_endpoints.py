"""The API for case systems (api/endpoints.py): a token acts as its organisation, by the pages'
rules, and logs through the log form's own service (docs/decisions/0051)."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from api.endpoints import NOT_FOUND, UNAUTHORISED
from api.models import ApiUse, IdempotentEntry
from api.services import api_token_revoke
from partners.models import AccessEvent, AccessKind
from sharing_log.models import Decision, Disclosure
from tests.auth import sign_in
from tests.sharing_log.helpers.disclosures import routine_share, with_token

from .helpers import ENTRIES, api_share, bearer, issue

pytestmark = pytest.mark.django_db



@pytest.fixture
def owners_client(roles):
    token, secret = issue(roles.owner, roles.governance_manager)
    return token, secret


def post(client, secret, data, **headers):
    return client.post(ENTRIES, json.dumps(data), content_type="application/json", **bearer(secret, **headers))


class TestTokens:
    def test_no_token_a_wrong_one_and_a_portal_session_are_each_401(self, client, roles, owners_client):
        _token, secret = owners_client

        assert client.get(ENTRIES).json() == {"detail": UNAUTHORISED}
        assert client.get(ENTRIES, **bearer(secret[:-2] + "xx")).status_code == 401
        assert sign_in(client, roles.governance_manager).get(ENTRIES).status_code == 401

    def test_a_revoked_token_is_refused_at_once(self, client, roles, owners_client):
        token, secret = owners_client
        assert client.get(ENTRIES, **bearer(secret)).status_code == 200

        api_token_revoke(token=token, by_user=roles.governance_manager)

        assert client.get(ENTRIES, **bearer(secret)).status_code == 401
        token.service_user.refresh_from_db()
        assert token.service_user.is_active is False
        assert token.service_user.memberships.count() == 0

    def test_an_expired_token_is_refused(self, client, roles, owners_client, time_machine):
        token, secret = owners_client
        time_machine.move_to(timezone.now() + datetime.timedelta(days=91))

        assert client.get(ENTRIES, **bearer(secret)).status_code == 401

    def test_a_token_over_its_rate_is_answered_429_with_when_to_retry_and_others_are_not(
        self, client, roles, owners_client, settings,
    ):
        settings.API_RATE_LIMIT = "3/m"
        token, secret = owners_client
        _other, other_secret = issue(roles.owner, roles.governance_manager, name="Liquidlogic")

        statuses = [client.get(ENTRIES, **bearer(secret)).status_code for _ in range(4)]
        refused = client.get(ENTRIES, **bearer(secret))

        assert statuses == [200, 200, 200, 429]
        assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
        assert refused.json()["detail"].startswith("Too many requests: wait ")
        assert client.get(ENTRIES, **bearer(other_secret)).status_code == 200
        assert ApiUse.objects.filter(token=token, status_code=429).count() == 2

    def test_only_a_hash_of_the_secret_is_kept(self, owners_client):
        token, secret = owners_client

        assert secret.startswith(f"isa_{token.prefix}_")
        assert secret not in {token.secret_hash, token.prefix}
        assert len(token.secret_hash) == 64

    def test_every_use_is_recorded_without_the_token_or_the_query(self, client, owners_client):
        token, secret = owners_client

        client.get(f"{ENTRIES}?limit=5", **bearer(secret))
        client.get("/api/entries/999999/", **bearer(secret))

        uses = list(ApiUse.objects.order_by("pk").values_list("method", "operation", "status_code"))
        assert uses == [("GET", "entries", 200), ("GET", "entry", 404)]
        kept = json.dumps(list(ApiUse.objects.values()), default=str)
        assert secret not in kept and "limit" not in kept


class TestReading:
    def test_answers_are_never_cached(self, client, owners_client):
        _token, secret = owners_client

        assert client.get(ENTRIES, **bearer(secret))["Cache-Control"] == "no-store"

    def test_the_client_reads_its_agreements_with_parties_purposes_and_gateways(self, client, roles, owners_client,
                                                                               art6):
        _token, secret = owners_client

        body = client.get("/api/agreements/", **bearer(secret)).json()

        ids = {item["id"] for item in body["items"]}
        assert roles.agreement.pk in ids and roles.unrelated_agreement.pk not in ids
        agreement = next(item for item in body["items"] if item["id"] == roles.agreement.pk)
        assert {party["organisation"]["name"] for party in agreement["parties"]} == {
            roles.owner.name, roles.partner.name,
        }
        assert [purpose["id"] for purpose in agreement["purposes"]] == [roles.agreement.purposes.get().pk]
        assert [gateway["id"] for gateway in agreement["gateways"]] == [art6.pk]

    def test_a_client_of_another_organisation_sees_nothing_that_is_not_theirs(self, client, roles, art6):
        _token, secret = issue(roles.unrelated_organisation, roles.unrelated, name="Felpersham CRM")
        mine = roles.disclosure  # the partner's share with the owner

        agreements = client.get("/api/agreements/", **bearer(secret)).json()
        entries = client.get(ENTRIES, **bearer(secret)).json()

        assert {item["id"] for item in agreements["items"]} == {roles.unrelated_agreement.pk}
        assert entries == {"count": 0, "items": []}
        for url in (f"/api/agreements/{roles.agreement.pk}/", f"/api/entries/{mine.pk}/"):
            response = client.get(url, **bearer(secret))
            assert (response.status_code, response.json()) == (404, {"detail": NOT_FOUND})

    def test_reading_one_entry_is_in_the_access_log(self, client, roles, art6):
        _token, secret = issue(roles.partner, roles.admin, name="Niche")
        entry = roles.disclosure

        response = client.get(f"/api/entries/{entry.pk}/", **bearer(secret))

        assert response.json()["case_reference"] == entry.case_reference
        event = AccessEvent.objects.get(kind=AccessKind.ENTRY_OPENED)
        assert (event.object_id, event.url_name) == (entry.pk, "api:entry")


class TestLogging:
    def test_a_share_is_logged_named_as_the_client(self, client, roles, owners_client, art6):
        token, secret = owners_client

        response = post(client, secret, api_share(roles, art6))

        entry = Disclosure.objects.get()
        assert response.status_code == 201
        assert response.json()["id"] == entry.pk
        assert response.json()["logged_by"] == "Mosaic (API client)"
        assert entry.disclosed_by == token.service_user

    def test_the_services_problems_come_back_as_400_by_field(self, client, roles, owners_client, art6):
        _token, secret = owners_client

        response = post(client, secret, api_share(roles, art6, decision=Decision.NOT_SHARED, case_reference=" "))

        assert response.status_code == 400
        assert response.json()["errors"]["decision_reason"] == ["Give the reason for deciding not to share."]
        assert response.json()["errors"]["case_reference"] == ["Enter the case reference."]
        assert Disclosure.objects.count() == 0

    def test_an_agreement_of_another_organisation_is_not_there(self, client, roles, owners_client, art6):
        _token, secret = owners_client

        response = post(client, secret, api_share(roles, art6, agreement=roles.unrelated_agreement.pk))

        assert response.status_code == 400
        assert response.json()["errors"]["agreement"] == ["Choose an agreement your organisation is party to."]

    def test_logging_for_another_organisation_is_refused_as_on_the_form(self, client, roles, owners_client, art6):
        _token, secret = owners_client

        response = post(client, secret, api_share(roles, art6, organisation=roles.partner.pk,
                                                  recipient_organisation=roles.owner.pk))

        assert response.status_code == 400
        assert response.json()["errors"]["organisation"] == [
            f"You are not a practitioner, SPOC or governance manager at {roles.partner}: "
            "log only for an organisation you work for.",
        ]

    def test_a_malformed_body_is_400_with_the_field(self, client, roles, owners_client, art6):
        _token, secret = owners_client

        response = post(client, secret, api_share(roles, art6, purpose="first"))

        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["purpose"]

    def test_the_same_request_twice_with_one_idempotency_key_makes_one_entry(self, client, roles, owners_client,
                                                                           art6):
        _token, secret = owners_client
        data = api_share(roles, art6)

        first = post(client, secret, data, HTTP_IDEMPOTENCY_KEY="mosaic-7781")
        second = post(client, secret, data, HTTP_IDEMPOTENCY_KEY="mosaic-7781")

        assert Disclosure.objects.count() == 1
        assert (first.status_code, second.status_code) == (201, 200)
        assert first.json() == second.json()
        assert IdempotentEntry.objects.get().disclosure_id == first.json()["id"]

    def test_the_key_sent_again_with_another_entry_is_409(self, client, roles, owners_client, art6):
        _token, secret = owners_client
        post(client, secret, api_share(roles, art6), HTTP_IDEMPOTENCY_KEY="mosaic-7781")

        response = post(client, secret, api_share(roles, art6, case_reference="ASB-2026-0043"),
                        HTTP_IDEMPOTENCY_KEY="mosaic-7781")

        assert response.status_code == 409
        assert response.json() == {"detail": "This Idempotency-Key was first sent with a different entry."}
        assert Disclosure.objects.count() == 1

    def test_a_key_of_more_than_255_characters_is_refused(self, client, roles, owners_client, art6):
        _token, secret = owners_client

        response = post(client, secret, api_share(roles, art6), HTTP_IDEMPOTENCY_KEY="k" * 256)

        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["Idempotency-Key"]
        assert Disclosure.objects.count() == 0

    def test_without_a_key_each_request_is_an_entry(self, client, roles, owners_client, art6):
        _token, secret = owners_client

        post(client, secret, api_share(roles, art6))
        post(client, secret, api_share(roles, art6))

        assert Disclosure.objects.count() == 2

    def test_an_api_entry_appears_in_the_browser_log_exactly_as_if_typed(self, client, roles, owners_client, art6):
        _token, secret = owners_client
        sign_in(client, roles.practitioner)
        client.post(reverse("sharing_log:create"), with_token(client, routine_share(roles, art6)))
        typed = Disclosure.objects.get()

        sent = post(client, secret, api_share(roles, art6, when=typed.occurred_at))

        through_api = Disclosure.objects.get(pk=sent.json()["id"])
        fields = [field.name for field in Disclosure._meta.concrete_fields
                  if field.name not in ("id", "disclosed_by", "recorded_at")]
        assert {f: getattr(through_api, f) for f in fields} == {f: getattr(typed, f) for f in fields}
        assert list(through_api.gateways.all()) == list(typed.gateways.all())
        page = client.get(reverse("sharing_log:detail", args=[through_api.pk])).content.decode()
        typed_page = client.get(reverse("sharing_log:detail", args=[typed.pk])).content.decode()
        assert "Mosaic (API client)" in page
        # As the page writes the name: escaped (a generated "O'Connor" is "O&#x27;Connor" there).
        assert _rows(page).replace("Mosaic (API client)", "PERSON") == _rows(typed_page).replace(
            escape(roles.practitioner.get_full_name()), "PERSON")
        listed = client.get(reverse("sharing_log:list")).content.decode()
        assert listed.count("ASB-2026-0042") == 2


def _rows(page: str) -> str:
    """The entry's summary list on its page."""
    start = page.index('<dl class="govuk-summary-list')
    return page[start:page.index("</dl>", start)]
