"""Answering "Can I share?" in tests of its pages: ``walk`` posts each page's answers, as a
person would; ``log_link`` is the link the questions end with, to the pre-filled log page."""

from django.urls import reverse

from sharing_log import can_i_share as q

CREATE = reverse("sharing_log:create")


START = reverse("sharing_log:can_i_share")


CHECK = reverse("sharing_log:can_i_share_check")


DO_NOT_SHARE = reverse("sharing_log:can_i_share_do_not_share")


def step_url(step: str) -> str:
    return reverse("sharing_log:can_i_share_question", args=[step])


def walk(client, purpose, **posted) -> None:
    """Answer the questions by posting each page's answers, as a person would, in path order.
    ``posted`` maps a page (underscores for hyphens) to its POST data; the purpose is chosen."""
    steps = {q.PURPOSE: {"answer": str(purpose.pk)}}
    steps.update({key.replace("_", "-"): value for key, value in posted.items()})
    for step, data in steps.items():
        response = client.post(step_url(step), data)
        assert response.status_code == 302, (step, response.content.decode()[:2000])


SHARE = {"information": {"answer": "confidential"}, "consent": {"answer": "refused"},
         "public_interest": {"answer": "yes", "reason": "A child is at risk of significant harm."},
         "necessary": {"answer": "yes", "special": ["special_category"]}}


TO_REFUSED = {"information": {"answer": "not_confidential"}, "consent": {"answer": "refused"}}


TO_EXPLICIT = {**TO_REFUSED, "consent": {"answer": "explicit"}}


NOT_SHARE = {"information": {"answer": "not_confidential"}, "consent": {"answer": "explicit"},
             "necessary": {"answer": "no", "not_met": ["necessary", "proportionate"]}}


def log_link(client) -> str:
    """The link the questions end with, to the log page: "Check your answers" for "You may
    share", the "Do not share" page's otherwise."""
    check = client.get(CHECK)
    if check.context["outcome"].may_share:
        return check.context["continue_url"]
    return client.get(DO_NOT_SHARE).context["log_url"]
