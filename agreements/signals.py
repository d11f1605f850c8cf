"""Signals the layers above listen to, so that ``agreements`` never imports them (0017).

``retention_rule_set(agreement, by_user)`` is sent, inside the transaction, when an agreement's
retention rule is set or changed: the sharing log gives every entry under it that lacks a
retention due date the one the rule now gives it (``sharing_log.receivers``).
"""

from django.dispatch import Signal

retention_rule_set = Signal()
