"""What the log's forms share: options that reveal further questions (the GOV.UK "conditionally
revealing a related question" pattern, rendered by ``sharing_log/includes/choices.html``), the
sizes of their text boxes, and the one message a choice question gives whatever went wrong."""

from functools import cached_property

from django import forms

TEXTAREA = {"rows": 3}
WIDTH_20 = {"class": "govuk-!-width-two-thirds"}


def _required(message: str) -> dict:
    return {"required": message, "invalid_choice": message, "invalid_pk_value": message}


class RevealMixin:
    """Radios and checkboxes whose options reveal further questions.

    ``REVEALS`` maps a field name to {option value: [names of the fields it reveals]};
    ``choice_options[name]`` gives the template each option with its revealed bound fields.
    """

    REVEALS: dict[str, dict[str, list[str]]] = {}

    @cached_property
    def choice_options(self) -> dict[str, list[dict]]:
        options = {}
        for name, field in self.fields.items():
            if not isinstance(field.widget, forms.RadioSelect):  # checkboxes subclass it
                continue
            reveals = self.REVEALS.get(name, {})
            options[name] = [
                {
                    "id": option.id_for_label,
                    "value": str(option.data["value"]),
                    "label": option.choice_label,
                    "type": option.data["type"],
                    "checked": option.data["selected"],
                    "conditional_id": f"conditional-{option.id_for_label}",
                    "revealed": [self[revealed] for revealed in reveals.get(str(option.data["value"]), [])],
                }
                for option in self[name].subwidgets
                if str(option.data["value"]) != ""
            ]
        return options
