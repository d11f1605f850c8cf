"""The volume generator (issue 15, item 1): realistic fictional data in bulk, for measuring the
portal at 10k, 100k and 1M sharing log entries.

    .venv/bin/python -m bench.volume.generate --entries 100000 --seed 1

- ``parents``: organisations, people with their memberships and grants, agreements in force with
  their signed parties, purposes and cited legal gateways, in bulk with exactly the grants the
  apps' services give (the services would take an hour), so the portal sees them as real.
- ``shape``: what one entry says — decisions, consent, lawful bases — within the log's rules.
- ``log``: the entries and every record beside them (gateways, Article 9 conditions, history,
  acknowledgements, corrections, case closures with retention dates, the hash chain), in time
  order, written in bulk by ``sink`` (PostgreSQL COPY; plain INSERTs elsewhere).
- ``generate``: the command line and the safety checks.
"""
