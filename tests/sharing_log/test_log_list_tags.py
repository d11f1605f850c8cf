"""The log list's rows written in Python (sharing_log/templatetags/log_list.py) are the HTML the
template loop they replace wrote, byte for byte, whatever a row holds."""

import dataclasses
import datetime

import pytest
from django.template import Context, Template

from sharing_log.selectors import LogRow
from sharing_log.templatetags.log_list import log_rows

# The loop of sharing_log/disclosure_list.html before the rows were written in Python.
REFERENCE = Template(
    """{% for entry in page.entries %}
    <tr class="govuk-table__row">
      <td class="govuk-table__cell"><a class="govuk-link" href="{{ entry.url }}">{{ entry.when }}<span class="govuk-visually-hidden"> – entry {{ entry.pk }}</span></a></td>
      <td class="govuk-table__cell">{{ entry.case_reference }}</td>
      <td class="govuk-table__cell">{{ entry.disclosing_organisation }}</td>
      <td class="govuk-table__cell">{{ entry.recipient_organisation }}</td>
      <td class="govuk-table__cell">{{ entry.agreement }}</td>
      <td class="govuk-table__cell">{% if entry.voided %}<strong class="govuk-tag govuk-tag--grey">Voided</strong>{% else %}<strong class="govuk-tag govuk-tag--{% if entry.decision == "shared" %}green{% else %}orange{% endif %}">{{ entry.decision_label }}</strong>{% endif %}{% if entry.corrected %} <strong class="govuk-tag govuk-tag--blue">Amended</strong>{% endif %}</td>
      <td class="govuk-table__cell">{{ entry.lawful_basis }}</td>
      <td class="govuk-table__cell">{{ entry.retention_due }}</td>
    </tr>
    {% endfor %}"""  # noqa: E501
)

ROW = LogRow(
    pk=41, occurred_at=datetime.datetime(2026, 7, 4, 8, 5, tzinfo=datetime.UTC), url="/log/41/",
    when="4 Jul 2026, 09:05", case_reference="ASB-77", disclosing_organisation="Borsetshire Police",
    recipient_organisation="Borsetshire County Council", agreement="ISA-001", decision="shared",
    decision_label="Shared", voided=False, corrected=False, lawful_basis="UK GDPR Article 6(1)(e)",
    retention_due="31 Jan 2029",
)

VARIANTS = {
    "shared": {},
    "not shared": {"decision": "not_shared", "decision_label": "Not shared"},
    "voided": {"voided": True},
    "amended": {"corrected": True},
    "voided and amended": {"voided": True, "corrected": True, "decision": "not_shared"},
    "text to escape": {"case_reference": "<b>A&B</b>", "disclosing_organisation": "O'Connor & \"Sons\"",
                       "recipient_organisation": "<script>", "agreement": "Tom & Jerry's",
                       "decision_label": "<i>", "lawful_basis": "a > b", "retention_due": "Not set",
                       "url": "/log/41/?a=1&b=2", "when": "1 Jan 2026, 00:00"},
    "no agreement reference or basis": {"agreement": None, "lawful_basis": "–"},
}


@pytest.mark.parametrize("changes", VARIANTS.values(), ids=VARIANTS.keys())
def test_a_row_is_written_as_the_template_wrote_it(changes):
    row = dataclasses.replace(ROW, **changes)

    assert log_rows([row]) == REFERENCE.render(Context({"page": {"entries": [row]}}))


def test_rows_follow_each_other_as_the_loop_wrote_them():
    rows = [dataclasses.replace(ROW, pk=pk, **changes) for pk, changes in enumerate(VARIANTS.values())]

    assert log_rows(rows) == REFERENCE.render(Context({"page": {"entries": rows}}))
    assert log_rows([]) == ""
