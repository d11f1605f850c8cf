"""What the log's forms share: the sizes of their text boxes, and the one message a choice question
gives whatever went wrong. Options that reveal further questions are a GOV.UK building block:
``govuk_blocks.forms.RevealMixin``."""

TEXTAREA = {"rows": 3}
WIDTH_20 = {"class": "govuk-!-width-two-thirds"}


def _required(message: str) -> dict:
    return {"required": message, "invalid_choice": message, "invalid_pk_value": message}
