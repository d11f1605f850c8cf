"""The task list of drafting an agreement (``/agreements/<pk>/tasks/``): each task with its page and
whether it is done; the pages themselves are ``agreements.views.drafting``'s. Only the owner's
governance managers reach it (``drafting.managed_agreement``)."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import Agreement
from ..selectors.dpias import dpia_of, dpia_problems
from ..selectors.kinds import KIND_TASK_TITLE, kind_problems
from ..services import drafting as services
from .drafting import managed_agreement, substance_warning

COMPLETED, INCOMPLETE, CANNOT_START = "Completed", "Incomplete", "Cannot start yet"


def _count(number: int, counted: str) -> str:
    """``counted`` (an ``ngettext`` of ``%(count)d …``) for ``number``, or "None added yet"."""
    if number == 0:
        return _("None added yet")
    return counted % {"count": number}


def _task(title, href, done: bool, hint: str = "", *, can_start: bool = True) -> dict:
    status = CANNOT_START if not can_start else (COMPLETED if done else INCOMPLETE)
    return {"title": title, "href": href if can_start else None, "status": status, "hint": hint}


def agreement_tasks(agreement: Agreement) -> list[dict]:
    """The tasks of drafting ``agreement``, each with its page and status (its title and hint in
    the reader's language; the status is a constant the template words)."""
    pk = agreement.pk
    url = lambda name: reverse(f"agreements:{name}", kwargs={"pk": pk})  # noqa: E731
    partners = agreement.parties.exclude(organisation_id=agreement.owner_id).count()
    purposes, sections = agreement.purposes.count(), agreement.sections.count()
    data_items, gateways = agreement.data_items.count(), agreement.gateways.count()
    methods = len(agreement.transfer_methods)
    return [
        _task(_("Details"), url("task_details"), bool(agreement.reference),
              agreement.reference or _("Add the reference partners know it by")),
        _task(_("Purposes"), url("task_purposes"), purposes > 0,
              _count(purposes, ngettext("%(count)d purpose", "%(count)d purposes", purposes))),
        _task(_("Parties"), url("parties"), partners > 0,
              _count(partners, ngettext("%(count)d partner invited", "%(count)d partners invited", partners))
              if partners else _("No partner invited yet")),
        _task(_("Data to be shared"), url("task_data"), data_items > 0,
              _count(data_items, ngettext("%(count)d kind of data", "%(count)d kinds of data", data_items))
              if partners or data_items else _("Invite a partner first"), can_start=bool(partners or data_items)),
        _task(_("Legal gateways"), url("task_gateways"), gateways > 0,
              _count(gateways, ngettext("%(count)d legal gateway", "%(count)d legal gateways", gateways))),
        _task(_("Transfer and security"), url("task_transfer"),
              bool(methods and agreement.consent_position),
              _count(methods, ngettext("%(count)d transfer method", "%(count)d transfer methods", methods))),
        _task(_("Retention"), url("task_retention"), bool(agreement.retention_basis), agreement.retention_summary),
        _task(_("Breaches"), url("task_breaches"),
              agreement.breach_notify_without_undue_delay or agreement.breach_notify_working_days is not None,
              _("Other partners told: %(notice)s") % {"notice": agreement.breach_notice_text.lower()}),
        _task(_("Review"), url("task_review"), agreement.review_policy_set,
              _("First after %(first)s months, then every %(every)s months") % {
                  "first": agreement.review_first_after_months, "every": agreement.review_every_months}
              if agreement.review_policy_set else _("Review policy not set")),
        _task(_("Sections"), url("task_sections"), sections > 0,
              _count(sections, ngettext("%(count)d section", "%(count)d sections", sections))),
        _dpia_task(agreement, url),
        *_kind_tasks(agreement, url),
    ]


def _dpia_task(agreement: Agreement, url) -> dict:
    """The DPIA screening (and the DPIA, if one is needed): not needed to go for signature, but to
    come into force, so the list had said all was done while the status page would later refuse
    the move into force for it."""
    dpia = dpia_of(agreement)
    if dpia_problems(agreement, dpia=dpia):
        hint = _("Record whether it needs a DPIA, and the DPIA if it does: needed before it comes into force")
        return _task(_("DPIA screening"), url("dpia"), False, hint)
    return _task(_("DPIA screening"), url("dpia"), True,
                 _("A DPIA is on record") if dpia.needed else _("Screened: no DPIA needed"))


def _kind_tasks(agreement: Agreement, url) -> list[dict]:
    """The task of what the agreement's kind records beyond its sections, if it has one."""
    if agreement.kind not in KIND_TASK_TITLE:
        return []
    problems = kind_problems(agreement)
    return [_task(KIND_TASK_TITLE[agreement.kind], url("task_kind"), not problems,
                  _("Complete") if not problems else _("Still to do: %(problem)s") % {"problem": problems[0]})]


def agreement_task_list(request, pk: int):
    agreement = managed_agreement(request, pk)
    tasks = agreement_tasks(agreement) if services.is_editable(agreement) else []
    return render(request, "agreements/drafting/tasks.html", {
        "agreement": agreement,
        "tasks": tasks,
        "completed": sum(task["status"] == COMPLETED for task in tasks),
        "warning": substance_warning(agreement),
    })
