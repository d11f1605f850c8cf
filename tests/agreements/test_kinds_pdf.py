"""A joint controller arrangement's Article 26 essence in its PDF (decision 0065), read back from
the bytes: frozen with the version, and the PDF's headings still in order."""

import re

import pytest

from agreements.models import Kind
from agreements.pdf import StaticOnlyURLFetcher, agreement_pdf
from agreements.services import agreement_version_create
from agreements.services.kinds import joint_controller_essence_update
from tests.agreements.helpers import pdf_pages
from tests.agreements.helpers.tagged import tagged
from tests.factories import AgreementFactory, PartyFactory, SectionFactory

pytestmark = pytest.mark.django_db


def test_the_essence_is_in_the_signed_versions_pdf_and_not_what_changed_after():
    agreement = AgreementFactory(title="Borsetshire Joint Hub", kind=Kind.JOINT_CONTROLLER)
    PartyFactory(agreement=agreement, organisation=agreement.owner)
    SectionFactory(agreement=agreement, number="1", heading="Introduction")
    joint_controller_essence_update(
        agreement=agreement, by_user=None, rights_allocation="Borsetshire Council answers access requests.",
        contact_point="The Borsetshire hub mailbox.", ico_breach_notifier="Borsetshire Council",
        subject_breach_notifier="The party whose system was breached",
    )
    version = agreement_version_create(agreement=agreement, label="1.0")
    joint_controller_essence_update(
        agreement=agreement, by_user=None, rights_allocation="Changed after the version.",
        contact_point="x", ico_breach_notifier="x", subject_breach_notifier="x",
    )
    pdf = agreement_pdf(agreement, version, url_fetcher=StaticOnlyURLFetcher())
    text = re.sub(r"\s+", " ", " ".join(pdf_pages(pdf)))
    assert "Essence of the joint controller arrangement (UK GDPR Article 26)" in text
    assert "Borsetshire Council answers access requests." in text
    assert "The Borsetshire hub mailbox." in text
    assert "Changed after the version." not in text
    headings = tagged(pdf).headings()
    assert headings[0] == "H1" and "H3" not in headings[: headings.index("H2")]
