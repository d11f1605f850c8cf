"""Who ``make bench`` measures as, and with what: run inside Django against a generated
database, it prints JSON for ``bench.run``.

    DATABASE_URL=postgres://… python -m bench.subjects

- the organisation that logged most, its SPOC and its governance manager, and a portal
  administrator (made here if there is none), each with a verified session made the way signing
  in makes one (the session, the second factor's device, the memberships, the session record);
- what to filter ``/log/`` by (an agreement, a partner, a category, a decision, a case
  reference), and a cursor halfway down the SPOC's list ("any depth");
- the largest agreement the organisation is party to, for the PDF.
"""

import datetime
import json
import os
import sys
from importlib import import_module

import django


def _session(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from partners.middleware import SESSION_KEY as MEMBERSHIPS_SESSION_KEY
    from partners.middleware import memberships_held
    from partners.sessions import session_record

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[MEMBERSHIPS_SESSION_KEY] = memberships_held(user)
    session.create()
    session_record(user=user, session_key=session.session_key)
    return session.session_key


def subjects() -> dict:
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from agreements.models import Agreement, AgreementVersion, GatewayCategory, Party
    from agreements.services.versions import agreement_version_create
    from partners.models import Membership, Role
    from sharing_log.models import Disclosure

    busiest = (Disclosure.objects.values("disclosing_organisation_id").annotate(n=Count("id"))
               .order_by("-n").first())
    organisation = busiest["disclosing_organisation_id"]

    def member(role):
        membership = Membership.objects.filter(organisation_id=organisation, role=role).select_related("user").first()
        if membership is None:
            sys.exit(f"The busiest organisation ({organisation}) has no {role}: generate with people in every role.")
        return membership.user

    spoc, manager = member(Role.SPOC), member(Role.GOVERNANCE_MANAGER)
    admin = get_user_model().objects.filter(is_superuser=True).first()
    if admin is None:
        admin = get_user_model().objects.create_superuser("bench-admin", "bench-admin@isa-portal.example", None)

    theirs = Disclosure.objects.filter(disclosing_organisation_id=organisation).order_by("-occurred_at", "-id")
    middle = theirs.values("occurred_at", "id")[busiest["n"] // 2]
    epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
    micro = (middle["occurred_at"] - epoch) // datetime.timedelta(microseconds=1)
    sample = theirs.values("agreement_id", "recipient_organisation_id", "case_reference").first()
    received = (Disclosure.objects.filter(recipient_organisation_id=organisation).order_by("-occurred_at", "-id")
                .values_list("case_reference", flat=True).first())
    # The PDF of the largest agreement the governance manager's organisation is party to.
    party_to = Party.objects.filter(organisation_id=organisation).values("agreement_id")
    log_under = Agreement.objects.get(pk=sample["agreement_id"])
    art6 = log_under.gateways.filter(category=GatewayCategory.ART6).order_by("pk").first()
    pdf = (Agreement.objects.filter(pk__in=party_to).annotate(n=Count("parties"))
           .order_by("-n").values("pk", "n").first())
    if not AgreementVersion.objects.filter(agreement_id=pdf["pk"]).exists():
        # The generator makes no versions: freeze one, not substantive (nobody need sign again),
        # so that the PDF served is a version's, as in a live partnership.
        agreement_version_create(agreement=Agreement.objects.get(pk=pdf["pk"]), label="1.0", by_user=manager,
                                 substantive=False, change_summary="Frozen for the benchmark.")
    return {
        "organisation": organisation,
        "entries_of_organisation": busiest["n"],
        "entries": Disclosure.objects.count(),
        # Each logging client has a session of its own: the log form's one-time token is kept in
        # the session, as a browser tab's would be.
        "sessions": {"spoc": _session(spoc), "spoc_2": _session(spoc), "governance_manager": _session(manager),
                     "admin": _session(admin)},
        "filters": {
            "agreement": sample["agreement_id"], "partner": sample["recipient_organisation_id"],
            "data_category": "asb", "decision": "not_shared", "case_reference": sample["case_reference"],
            # As a person types it: the filter ignores the letter case.
            "received_case_reference": (received or "").lower(),
        },
        "deep_cursor": f"{micro}.{middle['id']}",
        "deep_keyset": f"{middle['occurred_at'].timestamp()}_{middle['id']}",
        "log_agreement": sample["agreement_id"],
        "log_partner": sample["recipient_organisation_id"],
        "log_purpose": log_under.purposes.order_by("pk").values_list("pk", flat=True).first(),
        "log_art6": art6.pk if art6 else None,
        "pdf_agreement": pdf["pk"],
        "pdf_parties": pdf["n"],
    }


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.site.settings")
    django.setup()
    json.dump(subjects(), sys.stdout)


if __name__ == "__main__":
    main()
