"""``manage.py verify_log_chain [--statement FILE]``: check the sharing log's hash chain
(docs/decisions/0023). Exits 0 when it is intact; otherwise prints the first broken link (and
how many problems in all) and exits 1. With ``--statement``, also checks the chain still holds
the head a signed statement recorded (and the statement's signature)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from sharing_log.selectors.ledger import log_chain_verify
from sharing_log.statements import StatementInvalid, statement_verify


class Command(BaseCommand):
    help = "Verify the sharing log's hash chain; exit 1 naming the first broken link."

    def add_arguments(self, parser):
        parser.add_argument("--statement", type=Path, help="A signed statement of the chain's head to check against.")

    def handle(self, *args, statement=None, **options):
        head = None
        if statement is not None:
            try:
                head = statement_verify(statement.read_bytes())
            except (OSError, StatementInvalid) as error:
                raise CommandError(f"The statement cannot be used: {error}") from None
        report = log_chain_verify(statement=head)
        if not report.intact:
            extra = f" ({len(report.problems)} problems in all)" if len(report.problems) > 1 else ""
            raise CommandError(f"The log's chain is broken: {report.problems[0]}{extra}")
        self.stdout.write(f"The log's chain is intact: {report.events} events, head {report.head_seq} "
                          f"{report.head_hash}.")
