"""Factories for the test suite (factory_boy).

Anything that carries permissions is made through the app's own service, so a test sees the
grants a real user would have: a membership puts its user in the organisation-role group
(``membership_create``), an agreement grants its owner's groups (``agreement_create``), a party
grants its organisation's groups and its lead signatories (``party_add``). Factories of plain
rows use ``Model.objects.create`` and skip ``full_clean``, which lets constraint tests hand them
bad values and see the database refuse.

Every person and organisation here is fictional.
"""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from factory.django import DjangoModelFactory

from agreements import services as agreement_services
from agreements.models import (
    Agreement,
    AgreementVersion,
    DataLevel,
    GatewayCategory,
    GatewayStatus,
    LegalGateway,
    Party,
    PartyStatus,
    Purpose,
    Section,
    Status,
)
from partners import services as partner_services
from partners.models import Contact, Membership, Organisation, Role, Sector
from sharing_log.models import ConsentStatus, Decision, Disclosure, SubjectInformed, SubjectType

User = get_user_model()

# Long enough for the password validators; every factory user has it.
PASSWORD = "borsetshire-test-passphrase"


def today() -> datetime.date:
    return timezone.localdate()


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Borsetshire Partner {n}")
    sector = Sector.DISTRICT_COUNCIL

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return partner_services.organisation_create(**kwargs)


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Faker("name", locale="en_GB")
    job_title = "Community safety officer"
    email = factory.Sequence(lambda n: f"contact{n}@borsetshire.example")
    phone = "01632 960000"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return partner_services.contact_create(**kwargs)


class UserFactory(DjangoModelFactory):
    """A user with a confirmed authenticator app (``user.totpdevice_set``).

    ``UserFactory(otp_device=False)`` makes one without a device.
    """

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user-{n}")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    email = factory.LazyAttribute(lambda user: f"{user.username}@borsetshire.example")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def otp_device(user, create, extracted, **kwargs):
        if not create or extracted is False:
            return None
        return TOTPDevice.objects.create(
            user=user, name="Authenticator app", confirmed=True, **kwargs,
        )


class MembershipFactory(DjangoModelFactory):
    """Through ``membership_create``: the user joins the organisation-role group."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.PRACTITIONER

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return partner_services.membership_create(**kwargs)


class LegalGatewayFactory(DjangoModelFactory):
    class Meta:
        model = LegalGateway

    key = factory.Sequence(lambda n: f"gateway-{n}")
    instrument = "Crime and Disorder Act 1998"
    provision = factory.Sequence(lambda n: f"s{115 + n}")
    title = "Power to share information to reduce crime and disorder"
    category = GatewayCategory.STATUTE
    status = GatewayStatus.CURRENT

    class Params:
        art6 = factory.Trait(
            instrument="UK GDPR", provision="Art 6(1)(e)", category=GatewayCategory.ART6,
            title="Public task",
        )
        art9 = factory.Trait(
            instrument="UK GDPR", provision="Art 9(2)(g)", category=GatewayCategory.ART9,
            title="Substantial public interest",
        )
        schedule1 = factory.Trait(
            instrument="Data Protection Act 2018", provision="Sch 1 Pt 2 para 10",
            category=GatewayCategory.DPA2018_SCH1, title="Preventing or detecting unlawful acts",
        )
        part3 = factory.Trait(
            instrument="Data Protection Act 2018", provision="s35(2)(b)", category=GatewayCategory.DPA2018_PART3,
            title="Law enforcement: necessary for a competent authority's task",
        )
        repealed = factory.Trait(
            instrument="Data Protection Act 1998", provision="s29",
            status=GatewayStatus.REPEALED, title="Crime and taxation",
        )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return agreement_services.gateway_save(**kwargs)


class AgreementFactory(DjangoModelFactory):
    """Through ``agreement_create``: the owner's groups may see it, its managers manage it.

    A draft unless ``in_force=True``; its entries are destroyed 18 months after their case closes.
    """

    class Meta:
        model = Agreement
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Borsetshire Community Safety Agreement {n}")
    reference = factory.Sequence(lambda n: f"BCSP ISA {n}")
    owner = factory.SubFactory(OrganisationFactory)
    # A retention rule, so that the agreement may come into force (lifecycle.retention_problems);
    # pass ``retention_months_after_closure=None`` for one without.
    retention_months_after_closure = 18
    # Factory agreements came into force a year ago and were never reviewed, so their first
    # review is months overdue; tests about anything else should not be refused for that. Tests
    # of the stale-agreement rule set their own grace (agreements.selectors.staleness).
    review_overdue_grace_days = 3650

    class Params:
        in_force = factory.Trait(
            status=Status.IN_FORCE,
            effective_date=factory.LazyFunction(lambda: today() - datetime.timedelta(days=365)),
        )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return agreement_services.agreement_create(**kwargs)

    @factory.post_generation
    def dpia(agreement, create, extracted, **kwargs):
        """A DPIA screening that found none needed, so a factory agreement may come into force
        (agreements.selectors.dpias); ``dpia=False`` leaves it unscreened."""
        if not create or extracted is False:
            return
        agreement_services.dpia_record(
            agreement=agreement, by_user=None, screening=[], needed=False,
            not_needed_reason="No screening criterion applies: aggregate figures only.",
        )


class PartyFactory(DjangoModelFactory):
    """Through ``party_add``: the organisation's members may see the agreement, its lead
    signatories may sign. Invited unless ``signed=True`` or ``withdrawal_notified=True``.
    """

    class Meta:
        model = Party

    agreement = factory.SubFactory(AgreementFactory, in_force=True)
    organisation = factory.SubFactory(OrganisationFactory)
    status = PartyStatus.INVITED

    class Params:
        signed = factory.Trait(
            status=PartyStatus.SIGNED,
            joined_on=factory.LazyFunction(lambda: today() - datetime.timedelta(days=300)),
        )
        withdrawal_notified = factory.Trait(
            status=PartyStatus.WITHDRAWAL_NOTIFIED,
            joined_on=factory.LazyFunction(lambda: today() - datetime.timedelta(days=300)),
            withdrawal_notified_on=factory.LazyFunction(lambda: today() - datetime.timedelta(days=10)),
            withdrawal_effective_on=factory.LazyFunction(lambda: today() + datetime.timedelta(days=21)),
        )

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return agreement_services.party_add(**kwargs)


class PurposeFactory(DjangoModelFactory):
    class Meta:
        model = Purpose

    agreement = factory.SubFactory(AgreementFactory)
    position = factory.Sequence(lambda n: n + 1)
    text = "To reduce crime and disorder and anti-social behaviour"


class SectionFactory(DjangoModelFactory):
    """Through ``section_create``, which numbers its position."""

    class Meta:
        model = Section

    agreement = factory.SubFactory(AgreementFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    heading = "Purpose of the agreement"
    body = "The partners share information to reduce crime and disorder."

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return agreement_services.section_create(**kwargs)


class AgreementVersionFactory(DjangoModelFactory):
    """Through ``agreement_version_create``: the agreement's content as it stands, hashed."""

    class Meta:
        model = AgreementVersion

    agreement = factory.SubFactory(AgreementFactory)
    label = factory.LazyAttribute(lambda o: f"{o.agreement.versions.count() + 1}.0")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return agreement_services.agreement_version_create(**kwargs)


class DisclosureFactory(DjangoModelFactory):
    """A valid entry: shared, under an agreement in force, between two signed parties.

    Pass ``agreement``, ``disclosing_organisation`` and ``recipient_organisation`` to log
    between existing parties; anything left out is made. ``Model.objects.create`` and no
    ``full_clean``, so constraint tests can pass bad values. There is no second save: the log
    refuses updates.
    """

    class Meta:
        model = Disclosure
        skip_postgeneration_save = True

    agreement = factory.SubFactory(AgreementFactory, in_force=True)
    disclosing_organisation = factory.LazyAttribute(
        lambda o: PartyFactory(agreement=o.agreement, signed=True).organisation
    )
    recipient_organisation = factory.LazyAttribute(
        lambda o: PartyFactory(agreement=o.agreement, signed=True).organisation
    )
    disclosed_by = factory.LazyAttribute(
        lambda o: MembershipFactory(organisation=o.disclosing_organisation, role=Role.SPOC).user
    )
    recipient_name = "Pat Example"
    recipient_job_title = "Neighbourhood officer"
    recipient_contact = "pat.example@borsetshire.example"
    occurred_at = factory.LazyFunction(timezone.now)
    decision = Decision.SHARED
    case_reference = factory.Sequence(lambda n: f"ASB-{n:05d}")
    subject_type = SubjectType.ADULT
    data_level = DataLevel.MINIMUM
    data_categories = factory.LazyFunction(lambda: ["identity", "asb"])
    purpose = factory.LazyAttribute(
        lambda o: o.agreement.purposes.first() or PurposeFactory(agreement=o.agreement)
    )
    art6_basis = factory.SubFactory(LegalGatewayFactory, art6=True)
    consent_status = ConsentStatus.EXPLICIT
    subject_informed = SubjectInformed.YES
    summary = "Address and tenancy status, to plan a joint visit."
    necessity_reason = "The joint visit cannot be planned safely without it."

    @factory.post_generation
    def gateways(disclosure, create, extracted, **kwargs):
        if create and extracted:
            disclosure._logging = True  # set as it is logged, the one moment allowed (sharing_log.guards)
            disclosure.gateways.set(extracted)
            del disclosure._logging

    @factory.post_generation
    def art9_conditions(disclosure, create, extracted, **kwargs):
        if create and extracted:
            disclosure._logging = True  # as ``gateways`` above
            disclosure.art9_conditions.set(extracted)
            del disclosure._logging
