"""What the log form offers once the agreement is chosen (decision 0040), kept apart from the
questions themselves (``DisclosureForm``): the agreement's partners, with those that cannot receive
today and why; its Article 6 bases under plain names, those it cites first; the recipients' named
SPOCs; the person's remembered defaults; and initial answers carried in the address.
"""

from functools import cached_property

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from agreements.models import GatewayCategory, LegalGateway

from .. import selectors
from ..models.disclosures import DataCategory
from .legal_basis import plain_basis

# Questions the address may not answer: the page's own token, and the answers that are the
# form's to work out (the organisation logging, whether a summary was checked).
NOT_FROM_ADDRESS = {"organisation", "summary_checked"}


class LogScopeMixin:
    """For ``DisclosureForm``: the choices of the one agreement chosen (``self.chosen``), or of every
    agreement the person may log under while none is."""

    # The person's last share to each partner under the agreement: how much and what it included
    # (``_remembered``), and whether the page shows them filled in from it (``_last_share_answers``).
    last_shares: dict = {}
    filled_from_last = False

    def _choose_agreement(self, agreements: list, *, user, remember: bool):
        """The agreement posted, or asked for in the address (``initial``), or the person's only
        one, or (``remember``) the one of their last entry if they may still log under it."""
        value = self.data.get("agreement") if self.is_bound else self.initial.get("agreement")
        value = getattr(value, "pk", value)
        if value in (None, "") and len(agreements) == 1:
            return agreements[0]
        if value in (None, "") and remember and not self.is_bound:
            last = selectors.last_entry_by(user)
            value = last.agreement_id if last else None
        chosen = next((agreement for agreement in agreements if str(agreement.pk) == str(value)), None)
        return chosen or (agreements[0] if len(agreements) == 1 else None)

    def _recipient_choices(self, scope: list, today, organisations) -> list:
        """The partners that can receive today (``self.recipients``) and, under the one agreement
        chosen, those that cannot (``self.unable``), each with the reason (they are shown, not
        hidden): one query either way."""
        if self.chosen:
            self.recipients, self.unable = selectors.parties_able_and_unable(self.chosen, on=today,
                                                                             exclude=organisations)
        else:
            self.recipients = list(selectors.recipient_parties(scope, on=today, exclude=organisations))
            self.unable = []
        able = self._grouped(
            (party.agreement, party.organisation.pk, party.organisation.name) for party in self.recipients
        )
        if not self.unable:
            return [("", _("Choose a partner")), *able]
        return [("", _("Choose a partner")), (_("Can receive today"), able), (_("Cannot receive today"), [
            (party.organisation.pk, _("%(organisation)s – cannot receive: %(reason)s") % {
                "organisation": party.organisation.name, "reason": reason})
            for party, reason in self.unable
        ])]

    def _unable_error(self, value) -> ValidationError | None:
        for party, reason in self.unable:
            if party.organisation.pk == value:
                return ValidationError(_(
                    "%(organisation)s cannot receive information under this agreement today: it %(reason)s. "
                    "Choose a partner that can, or ask your governance manager."
                ) % {"organisation": party.organisation, "reason": reason})
        return None

    def _basis_choices(self, scope: list) -> list:
        """The Article 6 bases under plain names, those the agreement cites first: another basis
        stays possible, with the reason the rules ask for (``art6_departure_problems``). The bases
        read here are the ones the field cleans an answer against."""
        cited = {gateway.pk for agreement in scope for gateway in agreement.gateways.all()
                 if gateway.category == GatewayCategory.ART6}
        self.cited_bases = cited
        read = list(LegalGateway.objects.filter(category=GatewayCategory.ART6).order_by("provision"))
        self.fields["art6_basis"].read = read
        bases = [(gateway.pk, plain_basis(gateway)) for gateway in read]
        first = [(pk, label) for pk, label in bases if pk in cited]
        rest = [(pk, label) for pk, label in bases if pk not in cited]
        if not first or not rest:
            return [("", _("Choose a lawful basis")), *bases]
        return [("", _("Choose a lawful basis")), (_("Cited by the agreement"), first),
                (_("Not cited by the agreement: you will be asked why"), rest)]

    @cached_property
    def spocs(self) -> list:
        """The named SPOCs of the partners that can receive under the chosen agreement: read when
        the page is shown, not when an entry is logged."""
        if self.chosen is None:
            return []
        return list(selectors.recipient_spocs(self.chosen, [party.organisation for party in self.recipients]))

    def _remembered(self, user, permitted: set) -> None:
        """The person's last transfer method (if this agreement permits it) and, under the same
        agreement, their last marking: derived from their entries, so nothing extra is stored."""
        if self.chosen is None:
            return
        same = selectors.last_entry_by(user, agreement=self.chosen)
        last = same or selectors.last_entry_by(user)
        if last and last.transfer_method in permitted:
            self.fields["transfer_method"].initial = last.transfer_method
        if same:
            self.fields["protective_marking"].initial = same.protective_marking
            # The purpose and the Article 6 basis of their last entry under the agreement, when
            # still offered and (the basis) cited by it: shown in a line, to be opened and changed.
            if self.fields["purpose"].initial is None and any(p.pk == same.purpose_id for p in self.purposes):
                self.fields["purpose"].initial = same.purpose_id
            if self.fields["art6_basis"].initial is None and same.art6_basis_id in self.cited_bases:
                self.fields["art6_basis"].initial = same.art6_basis_id
        # How much was shared and what it included, as in their last share to each partner under
        # the agreement: filled in for the partner chosen (here, or by the page's script).
        self.last_shares = {
            partner: {"data_level": entry.data_level,
                      "data_categories": [value for value in entry.data_categories if value in DataCategory.values]}
            for partner, entry in selectors.last_shared_to_each(user, agreement=self.chosen).items()
            if partner in {party.organisation.pk for party in self.recipients}
        }

    def _last_share_answers(self) -> None:
        """How much was shared and what it included, from the person's last share to the partner
        already chosen (only one can receive, or the address named it), unless the address
        answered them; the page says they were filled in so."""
        if self.is_bound or not self.last_shares:
            return
        partner = self.initial.get("recipient_organisation", self.fields["recipient_organisation"].initial)
        last = self.last_shares.get(getattr(partner, "pk", partner))
        if not last or "data_level" in self.initial or "data_categories" in self.initial:
            return
        self.initial.update(last)
        self.filled_from_last = True

    def _recipient_person(self) -> None:
        """The recipient's named SPOC as the recipient person, when the partner is already known
        and names exactly one."""
        if self.is_bound or self.initial.get("recipient_name"):
            return
        partner = self["recipient_organisation"].value()
        named = [contact for contact in self.spocs if str(contact.organisation_id) == str(partner)]
        if len(named) != 1:
            return
        spoc = named[0]
        self.initial.update({"recipient_name": spoc.name, "recipient_job_title": spoc.job_title,
                             "recipient_contact": spoc.email or spoc.phone})

    def _from_address(self, params) -> None:
        """Initial answers from the address (``?case_reference=…&decision=not_shared``), named as
        the form's fields; a value the field would refuse is ignored."""
        if self.is_bound or not params:
            return
        for name, values in params.lists():
            if name not in self.fields or name in NOT_FROM_ADDRESS or name == "agreement":
                continue
            field = self.fields[name]
            value = values if isinstance(field, forms.MultipleChoiceField) else values[-1]
            try:
                cleaned = field.clean(value)
            except (ValidationError, TypeError, ValueError):
                # Not a value this field takes at all (one value where a date takes three).
                continue
            if name == "recipient_organisation" and cleaned not in {p.organisation.pk for p in self.recipients}:
                continue
            # "No" is an answer ("Can I share?" settles whether there is criminal-offence data);
            # only an empty value is none.
            if cleaned is None or cleaned in ("", []):
                continue
            self.initial[name] = cleaned

    # The page's less-used questions sit in GOV.UK details, open when one of them has an error or
    # an answer the person gave (so nothing they need to see is hidden).
    DETAILS = {
        "person": ("recipient_name", "recipient_job_title", "recipient_contact"),
        # Rarely the case, and only for an organisation that has received through the log.
        "passing_on": ("received_disclosure",),
        "when": ("request_received_on", "occurred_on", "occurred_time", "late_logging_reason"),
        "departure": ("art6_departure_reason",),
        "gateways": ("gateways",),
        "confidentiality": ("confidentiality_breached", "breach_designated_manager"),
        "sending": ("fact_or_opinion", "transfer_method", "protective_marking"),
        "summary": ("summary", "summary_checked"),
    }
    OPEN_WHEN_ANSWERED = ("art6_departure_reason", "gateways", "confidentiality_breached",
                          "summary", "received_disclosure")

    @property
    def details_open(self) -> dict[str, bool]:
        return {
            key: any(name in self.errors or (name in self.OPEN_WHEN_ANSWERED and name in self.fields
                                             and self[name].value()) for name in names)
            for key, names in self.DETAILS.items()
        }

    @property
    def decision_shown(self) -> str:
        """The decision whose questions (the reason for it) the page shows: the one chosen, or a
        share while none is (the page's script shows another's as the answer changes)."""
        return self["decision"].value() or "shared"

    @property
    def shared_only_hidden(self) -> bool:
        """Whether the questions only a share is asked are hidden: a decision not to share is
        being logged (the page's script hides and shows them as the answer changes)."""
        return self["decision"].value() in ("not_shared", "request_refused")

    @property
    def sending_text(self) -> str:
        """The transfer method and marking the page will save, for the closed details' summary."""
        value = self["transfer_method"].value()
        method = dict(self.fields["transfer_method"].choices).get(value, "") if value else ""
        marking = dict(self.fields["protective_marking"].choices).get(self["protective_marking"].value(), "")
        return ", ".join(str(part).split(" (")[0] for part in (method, marking) if part)

    BASIS_QUESTIONS = ("purpose", "art6_basis", "art6_departure_reason", "law_enforcement_basis", "gateways")

    @property
    def art6_settled(self) -> bool:
        """Whether the Article 6 basis is settled (the agreement cites one, or the person's last
        entry under it relied on one it cites) and nothing about it is wrong: the page then shows
        it in a line, to be opened and changed, with the rarer questions on the law inside."""
        if any(name in self.errors for name in self.BASIS_QUESTIONS if name != "purpose"):
            return False
        return bool(self["art6_basis"].value())

    @property
    def basis_settled(self) -> bool:
        """Whether the purpose is settled too (the agreement has one, or the person's last entry
        under it served one): then purpose and basis share the one line."""
        return self.art6_settled and "purpose" not in self.errors and bool(self["purpose"].value())

    @property
    def basis_text(self) -> str:
        value = str(self["purpose"].value())
        purpose = next((p.text for p in self.purposes if str(p.pk) == value), "") if self.basis_settled else ""
        value = str(self["art6_basis"].value())
        basis = next((gateway for gateway in self.fields["art6_basis"].read or () if str(gateway.pk) == value), None)
        return "; ".join(str(part) for part in (purpose, basis and plain_basis(basis)) if part)
