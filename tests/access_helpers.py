"""Reading the access log in tests: the events recorded, and proof that they hold no personal data."""

import json

from partners.models import AccessEvent

ACCESS_LOGGER = "partners.access"


def events(**filters) -> list[AccessEvent]:
    return list(AccessEvent.objects.filter(**filters).order_by("pk"))


def only_event(**filters) -> AccessEvent:
    found = events(**filters)
    assert len(found) == 1, f"expected one access event {filters}, found {len(found)}"
    return found[0]


def stored_text(event: AccessEvent) -> str:
    """Everything the event's row holds, as the database returns it."""
    return json.dumps(AccessEvent.objects.filter(pk=event.pk).values().get(), default=str)


def access_lines(caplog) -> list[str]:
    """The access log's lines (``access {...}``) as they were written."""
    return [record.getMessage() for record in caplog.records if record.name == ACCESS_LOGGER]


def line_of(caplog, event: AccessEvent) -> dict:
    """The JSON of the one log line written for ``event`` (matched by request id and kind)."""
    found = [
        json.loads(line.removeprefix("access "))
        for line in access_lines(caplog) if line.startswith("access {")
    ]
    found = [line for line in found if line["request_id"] == event.request_id and line["kind"] == event.kind]
    assert len(found) == 1, f"expected one log line for the event, found {len(found)}"
    return found[0]


def assert_no_personal_data(event: AccessEvent, caplog, *secrets: str) -> None:
    """None of ``secrets`` (a name, an e-mail, a case reference, a token, an address) appears in
    the event's row or in any access log line, in any case."""
    texts = [stored_text(event), *access_lines(caplog)]
    for secret in secrets:
        assert secret, "an empty secret proves nothing"
        for text in texts:
            assert secret.lower() not in text.lower(), f"{secret!r} found in {text}"
