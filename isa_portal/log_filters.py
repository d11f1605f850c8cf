"""Logging filters: log lines carry no secrets (issue 12)."""

import logging
import re

# The single-use links' secrets are their last path segment: /join/<token>/ and
# /account/authenticator/reset/<token>/. Django logs the path of every 4xx answer ("Not Found",
# "Gone", "Too Many Requests"), so a guessed or a real secret would otherwise reach the log.
LINK_SECRET = re.compile(r"(/join/|/account/authenticator/reset/)[^/\s]+/")


class NoLinkSecrets(logging.Filter):
    """Replace a link's secret in a log line by ``<token>``; the line is otherwise kept."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = LINK_SECRET.sub(r"\1<token>/", message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
