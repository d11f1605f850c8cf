"""E-mail in tests: news and asks that can wait go out in the daily run's digest (decisions 0039
and 0045), so a test of one runs the run's last step, as the scheduler would."""

from django.core import mail

from partners.services import notification_digests_send


def digests() -> list:
    """Send each person's waiting notifications as their one digest; the messages sent."""
    before = len(mail.outbox)
    notification_digests_send()
    return mail.outbox[before:]
