"""The search's two matches (docs/decisions/0059): PostgreSQL's full text, served by the GIN
indexes of agreements 0017 and partners 0015, and SQLite's words, each in every field."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.db import connection

from agreements.models import Agreement, LegalGateway
from isa_portal.search import selectors
from partners.models import Contact, Organisation
from tests.factories import AgreementFactory, ContactFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search is PostgreSQL's")
sqlite = pytest.mark.skipif(connection.vendor == "postgresql", reason="the simple match is SQLite's")


@postgresql
@pytest.mark.parametrize(("model", "fields", "index"), [
    (Agreement, selectors.AGREEMENT_FIELDS, "agreement_search_gin"),
    (LegalGateway, selectors.GATEWAY_FIELDS, "legalgateway_search_gin"),
    (Organisation, selectors.ORGANISATION_FIELDS, "organisation_search_gin"),
    (Contact, selectors.CONTACT_FIELDS, "contact_search_gin"),
])
def test_the_full_text_match_is_served_by_its_gin_index(model, fields, index):
    # The test database is made from the models (--no-migrations): make the indexes as the
    # migrations do, so a change to the fields on one side only fails here.
    for migration in ("agreements.migrations.0018_search_full_text_indexes",
                      "partners.migrations.0015_search_full_text_indexes"):
        with connection.schema_editor() as editor:
            importlib.import_module(migration).search_indexes_create(django_apps, editor)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a tiny table: make the planner show it can
    plan = selectors.matching(model.objects.all(), fields, "community safety", order_by=("pk",)).explain()
    assert f"Bitmap Index Scan on {index}" in plan, plan


@postgresql
def test_full_text_stems_english_words_and_reads_websearch_syntax():
    AgreementFactory(title="Sharing information on anti-social behaviour")
    AgreementFactory(title="Sharing information on hate crime")
    found = lambda q: sorted(a.title for a in selectors.matching(  # noqa: E731
        Agreement.objects.all(), selectors.AGREEMENT_FIELDS, q, order_by=("pk",)))
    assert len(found("shares")) == 2
    assert found('"hate crime"') == ["Sharing information on hate crime"]
    assert found("sharing -hate") == ["Sharing information on anti-social behaviour"]
    assert len(found("hate or anti-social")) == 2


@sqlite
def test_the_simple_match_wants_every_word_in_some_field_ignoring_case_and_search_syntax():
    OrganisationFactory(name="Felpersham Youth Offending Service")
    OrganisationFactory(name="Felpersham Library")
    found = lambda q: sorted(o.name for o in selectors.matching(  # noqa: E731
        Organisation.objects.all(), selectors.ORGANISATION_FIELDS, q, order_by=("pk",)))
    assert found("felpersham youth") == ["Felpersham Youth Offending Service"]
    assert found('"youth offending"') == ["Felpersham Youth Offending Service"]
    assert found("felpersham -library") == ["Felpersham Youth Offending Service"]
    assert found("-library") == []
    assert found('" - or') == []


def test_contacts_are_matched_on_job_title_and_e_mail_too():
    ContactFactory(name="Ann Example", job_title="Safeguarding lead", email="ann.example@felpersham.example")
    contacts = Contact.objects.all()
    assert [c.name for c in selectors.matching(contacts, selectors.CONTACT_FIELDS, "safeguarding", order_by=("pk",))] \
        == ["Ann Example"]
