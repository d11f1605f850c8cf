"""The link "Can I share?" ends with (sharing_log/views/can_i_share.py): every answer the
questions settle, carried to the log page in its query string under the log form's own field
names, arrives pre-filled; and the log page's initial values from a query string
(``sharing_log.forms.log_scope.LogScope._from_address``), taken only where the field accepts them."""

from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from sharing_log import can_i_share as q
from sharing_log.models import Decision
from tests.auth import sign_in
from tests.factories import LegalGatewayFactory, PurposeFactory
from tests.sharing_log.helpers import error_summary
from tests.sharing_log.helpers.can_i_share import CREATE, NOT_SHARE, SHARE, TO_REFUSED, log_link, step_url, walk
from tests.sharing_log.helpers.disclosures import routine_share, with_token


@pytest.fixture
def purpose(roles):
    return roles.agreement.purposes.get()


def _shown(value) -> str:
    """A pre-filled value as the link writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@pytest.mark.django_db
class TestEveryAnswerReachesTheLogForm:
    @pytest.mark.parametrize("pages", [
        SHARE,
        NOT_SHARE,
        {"information": {"answer": "nobody"}},
        {"information": {"answer": "confidential"},
         "consent": {"answer": "not_sought", "not_sought_reason": "risk_of_harm"},
         "public_interest": {"answer": "yes", "reason": "Risk of serious harm."},
         "necessary": {"answer": "yes", "special": ["special_category", "criminal_offence"]}},
        {"information": {"answer": "not_confidential"},
         "consent": {"answer": "not_sought", "not_sought_reason": "none"}},
        {**TO_REFUSED, "public_interest": {"answer": "no"}},
    ], ids=["override", "not-necessary", "nobody", "not-sought", "seek-consent", "refused"])
    def test_each_answer_carried_arrives_pre_filled(self, client, roles, purpose, pages):
        sign_in(client, roles.practitioner)
        walk(client, purpose, **pages)
        expected = q.prefill(client.session[q.SESSION_KEY], agreement_id=roles.agreement.pk)

        link = log_link(client)
        form = client.get(link).context["form"]

        carried = parse_qs(urlsplit(link).query)
        assert carried.pop("from") == ["can-i-share"]
        assert set(carried) == set(expected), "every answer the questions settle is in the link"
        for name, value in expected.items():
            assert _shown(form[name].value()) == _shown(value), name
            assert carried[name] == [_shown(value)], name

    def test_no_purpose_carries_the_decision_and_its_reason(self, client, roles):
        sign_in(client, roles.practitioner)
        client.post(step_url(q.PURPOSE), {"answer": q.NO_PURPOSE})

        form = client.get(log_link(client)).context["form"]

        assert (form["decision"].value(), form["not_shared_reason"].value()) == (
            Decision.NOT_SHARED, "There is no clear and legitimate purpose for sharing the information.",
        )


@pytest.mark.django_db
class TestLogPageQueryString:
    """The log page's initial values from its query string (the form's ``_from_address``)."""

    def test_a_value_each_field_accepts_is_pre_filled(self, client, roles, purpose):
        query = urlencode({"agreement": roles.agreement.pk, "purpose": purpose.pk, "decision": "not_shared",
                           "case_reference": "ASB-2026-0042", "data_categories": "risk",
                           "has_special_categories": "true", "criminal_offence_data": "false"})

        form = sign_in(client, roles.practitioner).get(f"{CREATE}?{query}").context["form"]

        assert (form["agreement"].value(), form["purpose"].value(), form["decision"].value()) == (
            roles.agreement.pk, purpose.pk, Decision.NOT_SHARED,
        )
        assert (form["case_reference"].value(), form["data_categories"].value()) == ("ASB-2026-0042", ["risk"])
        assert (form["has_special_categories"].value(), form["criminal_offence_data"].value()) == (True, False)

    def test_a_value_a_field_refuses_is_left_out(self, client, roles):
        other = PurposeFactory(agreement=roles.unrelated_agreement, text="To sustain tenancies")
        query = urlencode({"agreement": roles.unrelated_agreement.pk, "purpose": other.pk, "decision": "maybe",
                           "consent_status": "", "case_reference": "X" * 61, "occurred_on": "2026-01-01",
                           "no_such_field": "1"})

        response = sign_in(client, roles.practitioner).get(f"{CREATE}?{query}")

        form = response.context["form"]
        assert response.status_code == 200
        # Another partnership's agreement is not one the person may log under: theirs is chosen.
        assert form.chosen == roles.agreement
        assert {name: value for name, value in form.initial.items() if name != "agreement"} == {}
        assert (form["purpose"].value(), form["decision"].value(), form["case_reference"].value()) == (
            form.fields["purpose"].initial, Decision.SHARED, None,
        )

    def test_a_sent_form_is_not_pre_filled_from_the_query_string(self, client, roles):
        art6 = LegalGatewayFactory(art6=True)
        roles.agreement.gateways.add(art6)
        sign_in(client, roles.practitioner)

        response = client.post(f"{CREATE}?case_reference=ASB-2026-0099",
                               with_token(client, routine_share(roles, art6, case_reference="")))

        assert "Enter the case reference" in error_summary(response)
        assert response.context["form"]["case_reference"].value() == ""
