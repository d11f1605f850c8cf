"""A designated manager for an override (sharing_log/services/overrides.py)."""

from agreements.models import ContactRole
from agreements.services import party_contact_add
from tests.factories import ContactFactory, UserFactory


def designated_manager(party, name: str = "Alex Example", job_title: str = "Head of Safeguarding", *, login=True):
    """A person ``party`` names as its designated manager for the agreement, who signs in
    unless ``login`` is false."""
    first, _, last = name.partition(" ")
    user = UserFactory(first_name=first, last_name=last) if login else None
    contact = ContactFactory(organisation=party.organisation, name=name, job_title=job_title, user=user)
    party_contact_add(party=party, contact=contact, role=ContactRole.DESIGNATED_MANAGER)
    return contact
