"""What test_onward.py and test_onward_views.py share: asking to pass an entry on."""

from sharing_log.models import OnwardDisclosureRequest
from sharing_log.services import onward_disclosure_request

PURPOSE = "To plan a joint safeguarding visit with the youth offending team."


def ask(entry, by_user, **changes) -> OnwardDisclosureRequest:
    kwargs = {"purpose": PURPOSE, "third_party_name": "Borsetshire Youth Offending Service"}
    kwargs.update(changes)
    return onward_disclosure_request(disclosure=entry, by_user=by_user, **kwargs)

