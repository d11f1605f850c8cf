"""The log page's one-time token (govuk_blocks.once, sharing_log/views/disclosures.py): a form
sent twice makes one entry, in an append-only log where a second entry could only be voided
(issue 12, bad input). Every form that logs an entry is this page: from the menu, and from
"Can I share?" (to share, or to log the decision not to share)."""

import pytest
from django.urls import reverse

from govuk_blocks import once
from sharing_log.models import Decision, Disclosure
from sharing_log.views.disclosures import ALREADY_LOGGED
from tests.auth import sign_in
from tests.factories import DisclosureFactory
from tests.sharing_log.helpers.disclosures import routine_share, with_token

pytestmark = pytest.mark.django_db

CREATE = reverse("sharing_log:create")
GUIDED_CREATE = f"{CREATE}?from=can-i-share"



def notices(client, response) -> str:
    return client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("url", [CREATE, GUIDED_CREATE], ids=["log page", "from can I share"])
def test_three_identical_submissions_make_one_entry_and_show_it(client, roles, art6, url):
    sign_in(client, roles.practitioner)
    data = with_token(client, routine_share(roles, art6), url)

    first, second, third = (client.post(url, data) for _ in range(3))

    entry = Disclosure.objects.get()
    detail = reverse("sharing_log:detail", args=[entry.pk])
    assert [first.status_code, first["Location"]] == [302, detail]
    assert [second.status_code, second["Location"]] == [302, detail]
    assert [third.status_code, third["Location"]] == [302, detail]
    assert ALREADY_LOGGED in notices(client, third)


def test_a_decision_not_to_share_sent_twice_is_logged_once(client, roles, art6):
    sign_in(client, roles.practitioner)
    data = with_token(client, routine_share(
        roles, art6, decision=Decision.NOT_SHARED, art6_basis=None,
        not_shared_reason="Sharing would not be necessary or proportionate.",
    ))

    client.post(CREATE, data)
    client.post(CREATE, data)

    assert Disclosure.objects.get().decision == Decision.NOT_SHARED


def test_two_tabs_open_at_once_each_log_their_own_entry_once(client, roles, art6):
    sign_in(client, roles.practitioner)
    tab_one = with_token(client, routine_share(roles, art6, case_reference="ASB-1"))
    tab_two = with_token(client, routine_share(roles, art6, case_reference="ASB-2"))

    client.post(CREATE, tab_two)
    client.post(CREATE, tab_one)
    again = client.post(CREATE, tab_two)

    assert sorted(Disclosure.objects.values_list("case_reference", flat=True)) == ["ASB-1", "ASB-2"]
    assert again["Location"] == reverse("sharing_log:detail", args=[Disclosure.objects.get(case_reference="ASB-2").pk])


def test_a_form_shown_again_with_errors_keeps_its_token_and_is_then_logged_once(client, roles, art6):
    sign_in(client, roles.practitioner)
    data = with_token(client, routine_share(roles, art6))

    refused = client.post(CREATE, {**data, "case_reference": ""})
    assert refused.context["submission_token"] == data["submission_token"]
    client.post(CREATE, data)
    client.post(CREATE, data)

    assert Disclosure.objects.count() == 1


@pytest.mark.parametrize("token", ["", "made-up", "x" * 5000], ids=["none", "not issued", "overlong"])
def test_a_token_the_session_did_not_issue_logs_nothing_and_asks_to_send_again(client, roles, art6, token):
    sign_in(client, roles.practitioner)

    response = client.post(CREATE, {**routine_share(roles, art6), "submission_token": token})

    assert response.status_code == 200
    assert once.FORM_EXPIRED in response.content.decode()
    assert Disclosure.objects.count() == 0
    fresh = response.context["submission_token"]
    assert fresh and fresh != token
    assert client.post(CREATE, {**routine_share(roles, art6), "submission_token": fresh}).status_code == 302
    assert Disclosure.objects.count() == 1


def test_another_persons_token_is_not_theirs_to_spend(client, roles, art6):
    data = with_token(sign_in(client, roles.practitioner), routine_share(roles, art6))
    client.post(CREATE, data)
    client.logout()

    response = sign_in(client, roles.governance_manager).post(CREATE, data)

    assert response.status_code == 200
    assert Disclosure.objects.count() == 1


def test_the_session_keeps_a_bounded_number_of_tokens(client, roles, art6):
    sign_in(client, roles.practitioner)
    oldest = with_token(client, routine_share(roles, art6))
    for _ in range(once.KEEP):
        client.get(CREATE)

    response = client.post(CREATE, oldest)

    assert len(client.session[once.SESSION_KEY]["sharing_log:create"]) <= once.KEEP + 1
    assert once.FORM_EXPIRED in response.content.decode()


def test_a_submission_whose_session_copy_is_stale_reads_the_spent_token_from_the_store(rf, roles, art6):
    """Two requests of one browser at the same moment each load the session before either
    writes. The later one must learn from the session store, not its own copy, that the token
    was spent (on PostgreSQL it waits on the person's row until the first commits)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.messages.storage.fallback import FallbackStorage

    from sharing_log.views.disclosures import LOG_FORM, disclosure_create

    store = import_module(settings.SESSION_ENGINE).SessionStore
    session = store()
    session[once.SESSION_KEY] = {LOG_FORM: {"the-token": None}}
    session.create()
    earlier = DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                                recipient_organisation=roles.partner, disclosed_by=roles.practitioner)
    request = rf.post(CREATE, {**routine_share(roles, art6), once.FIELD: "the-token"})
    request.user, request.session = roles.practitioner, store(session.session_key)
    request._messages = FallbackStorage(request)
    assert once.made_by(request, LOG_FORM, "the-token") is None  # its copy: unspent
    # Meanwhile the first request logs the entry and spends the token.
    first = store(session.session_key)
    first[once.SESSION_KEY] = {LOG_FORM: {"the-token": earlier.pk}}
    first.save()

    response = disclosure_create(request)

    assert response.status_code == 302
    assert response["Location"] == reverse("sharing_log:detail", args=[earlier.pk])
    assert Disclosure.objects.count() == 1
