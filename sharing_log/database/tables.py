"""Which tables the log's guards cover inside PostgreSQL, and how (``guarded_tables``): the log,
every record pointing at an entry, the chain, their audit history, and the workflow records that
may still take one decision."""


def _models():
    from ..models import (
        Acknowledgement,
        Amendment,
        CaseClosure,
        Destruction,
        Disclosure,
        Escalation,
        GuardedWrite,
        LogEvent,
        OnwardDisclosureRequest,
        OverrideAuthorisation,
        OverrideConfirmation,
        RecipientDestructionConfirmation,
    )

    return (Acknowledgement, Amendment, CaseClosure, Destruction, Disclosure, Escalation, GuardedWrite, LogEvent,
            OnwardDisclosureRequest, RecipientDestructionConfirmation, OverrideAuthorisation, OverrideConfirmation)


def _checkpoint_table() -> str:
    from ..models import LogCheckpoint

    return LogCheckpoint._meta.db_table


def _column(model, name: str) -> str:
    return model._meta.get_field(name).column


def guarded_tables() -> dict[str, tuple[str, ...]]:
    """Table → (purge columns, retention columns, status column, pending value, decision columns),
    for every table the triggers guard."""
    (Acknowledgement, Amendment, CaseClosure, Destruction, Disclosure, Escalation, GuardedWrite, LogEvent,
     OnwardDisclosureRequest, RecipientDestructionConfirmation, OverrideAuthorisation, OverrideConfirmation) = _models()

    def cols(model, names):
        return ",".join(_column(model, name) for name in names)

    history = Disclosure.history.model
    gateways_history = [m for m in history._meta.related_objects
                        if m.related_model._meta.db_table.endswith(("gateways", "art9_conditions"))]
    tables = {
        Disclosure._meta.db_table: (cols(Disclosure, Disclosure.PURGE_FIELDS), "retention_due_on", "", "", ""),
        history._meta.db_table: (cols(history, Disclosure.PERSONAL_FIELDS), "", "", "", ""),
        **{table: ("", "", "", "", "") for table in entry_m2m_tables()},
        Acknowledgement._meta.db_table: ("", "", "", "", ""),
        Acknowledgement.history.model._meta.db_table: ("", "", "", "", ""),
        Destruction._meta.db_table: ("", "", "", "", ""),
        LogEvent._meta.db_table: ("", "", "", "", ""),
        GuardedWrite._meta.db_table: ("", "", "", "", ""),
        # The daily chain check's checkpoints (decision 0055): appended, never changed.
        _checkpoint_table(): ("", "", "", "", ""),
        CaseClosure.history.model._meta.db_table: ("case_reference,reason", "", "", "", ""),
        RecipientDestructionConfirmation.history.model._meta.db_table: ("", "", "", "", ""),
        # A designated manager's authorisation and its confirmation: each written once, never changed.
        OverrideAuthorisation._meta.db_table: ("", "", "", "", ""),
        OverrideConfirmation._meta.db_table: ("", "", "", "", ""),
    }
    for relation in gateways_history:
        tables[relation.related_model._meta.db_table] = ("", "", "", "", "")
    for model in (Amendment, Amendment.history.model):
        tables[model._meta.db_table] = ("reason,changes", "", "", "", "")
    for model in (OnwardDisclosureRequest, OnwardDisclosureRequest.history.model):
        tables[model._meta.db_table] = (",".join(OnwardDisclosureRequest.PERSONAL_FIELDS), "", "", "", "")
    for model in (Escalation, Escalation.history.model):
        tables[model._meta.db_table] = (",".join(Escalation.PERSONAL_FIELDS), "", "", "", "")
    for model, names in workflow_columns().items():
        status, pending = names[0], model_pending(model)
        purge = tables.get(model._meta.db_table, ("",))[0]
        tables[model._meta.db_table] = (purge, "", _column(model, status), pending, cols(model, names))
    return tables


def entry_m2m_tables() -> tuple[str, ...]:
    """The many-to-many tables of an entry (its legal gateways, its Article 9 conditions): rows
    are inserted with the entry, in its transaction, and never change."""
    Disclosure = _models()[4]
    return (Disclosure.gateways.through._meta.db_table, Disclosure.art9_conditions.through._meta.db_table)


def workflow_columns() -> dict:
    """The workflow records the application may still decide, once: model → decision fields
    (the status first)."""
    (_, _, _, _, _, Escalation, _, _, OnwardDisclosureRequest, RecipientDestructionConfirmation, _, _) = _models()
    return {
        Escalation: ("status", "outcome", "resolution_note", "resolved_by", "resolved_at"),
        OnwardDisclosureRequest: ("decision", "decided_by", "decided_at", "decision_reason"),
        RecipientDestructionConfirmation: ("outcome", "confirmed_by", "confirmed_at"),
    }


def model_pending(model) -> str:
    return "open" if model.__name__ == "Escalation" else "pending"


def history_tables() -> list[str]:
    """Every audit-history table of every app (django-simple-history's)."""
    from django.apps import apps

    return sorted(model._meta.db_table for model in apps.get_models() if model.__name__.startswith("Historical"))
