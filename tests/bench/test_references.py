"""The references ``make bench`` measures the portal against (``bench.site.references``)."""

from django.test import RequestFactory

from agreements.pdf import agreement_html, html_pdf, pdf_version_served
from bench.site import references
from tests.agreements.helpers.tagged import tagged


def test_the_bare_weasyprint_reference_renders_the_portals_html_as_the_portal_does(roles):
    """Tagged as PDF/UA-1, as every PDF of the portal (decision 0046): untagged, the reference was
    a smaller, quicker PDF, and the ratio counted the tagging as the portal's overhead."""
    agreement = roles.agreement
    references._agreement_html.cache_clear()

    response = references.weasyprint(RequestFactory().get("/"), agreement.pk)

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    document = tagged(response.content)
    assert document.tree is not None and 'pdfuaid:part="1"' in document.xmp
    assert references._agreement_html(agreement.pk) == agreement_html(agreement, pdf_version_served(agreement))
    assert len(response.content) == len(html_pdf(references._agreement_html(agreement.pk)))
