import datetime

import pytest
from django import forms
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy

from govuk_blocks.forms import DateField, ModelChoiceField, ModelMultipleChoiceField, ServiceErrorsMixin


class WithdrawalForm(ServiceErrorsMixin, forms.Form):
    field_map = {"notice_given_on": "given_on"}

    given_on = DateField(noun="the date notice was given", label="Date notice was given")
    reason = forms.CharField(required=False)


def posted(day="", month="", year="", **fields):
    return {"given_on-day": day, "given_on-month": month, "given_on-year": year, **fields}


class TestDateField:
    def test_three_inputs_make_a_date(self):
        form = WithdrawalForm(posted("7", "3", "2026"))

        assert form.is_valid(), form.errors
        assert form.cleaned_data["given_on"] == datetime.date(2026, 3, 7)

    @pytest.mark.parametrize(("parts", "message"), [
        (("", "", ""), "Enter the date notice was given"),
        (("", "3", "2026"), "The date notice was given must include a day"),
        (("7", "", ""), "The date notice was given must include a month and a year"),
        (("31", "2", "2026"), "The date notice was given must be a real date"),
        (("seven", "3", "2026"), "The date notice was given must be a real date"),
        (("-7", "3", "2026"), "The date notice was given must be a real date"),
        (("7", "3", "26"), "Year must include 4 numbers"),
        (("99999999999999999999", "3", "2026"), "The date notice was given must be a real date"),
        (("7", "99999999999999999999", "2026"), "The date notice was given must be a real date"),
        # Out of range (issue 12): a year Python holds but arithmetic on it would not.
        (("31", "12", "9999"), "The date notice was given must be between 1 January 1900 and 31 December 2099"),
        (("1", "1", "0001"), "The date notice was given must be between 1 January 1900 and 31 December 2099"),
        (("31", "12", "1899"), "The date notice was given must be between 1 January 1900 and 31 December 2099"),
        (("1", "1", "2100"), "The date notice was given must be between 1 January 1900 and 31 December 2099"),
        (("007", "3", "2026"), "The date notice was given must be a real date"),
        # Digits of other scripts, and superscripts, that str.isdigit() lets through.
        (("7", "3", "\u0662\u0660\u0662\u0666"), "The date notice was given must be a real date"),
        (("\u00b2", "3", "2026"), "The date notice was given must be a real date"),
    ])
    def test_gov_uk_messages_for_a_date_that_is_missing_or_wrong(self, parts, message):
        form = WithdrawalForm(posted(*parts))

        assert form.errors == {"given_on": [message]}

    def test_the_first_and_last_days_of_the_range_are_dates(self):
        assert WithdrawalForm(posted("1", "1", "1900")).is_valid()
        assert WithdrawalForm(posted("31", "12", "2099")).is_valid()

    def test_a_field_may_set_its_own_range(self):
        field = DateField(noun="the date it happened", latest=datetime.date(2026, 3, 7))

        with pytest.raises(ValidationError) as refused:
            field.clean(["8", "3", "2026"])
        assert refused.value.messages == [
            "The date it happened must be between 1 January 1900 and 7 March 2026",
        ]

    def test_an_optional_date_may_be_left_blank(self):
        field = DateField(noun="the renewal date", required=False)

        assert field.clean(["", "", ""]) is None

    @pytest.mark.parametrize(("parts", "message"), [
        (("", "", ""), "Rhowch y dyddiad y rhoddwyd hysbysiad"),
        (("", "3", "2026"), "Rhaid cynnwys diwrnod yn y dyddiad y rhoddwyd hysbysiad"),
        (("7", "", ""), "Rhaid cynnwys mis a blwyddyn yn y dyddiad y rhoddwyd hysbysiad"),
        (("31", "2", "2026"), "Rhowch y dyddiad y rhoddwyd hysbysiad fel dyddiad go iawn"),
        (("7", "3", "26"), "Rhaid i’r flwyddyn gynnwys 4 rhif"),
        (("1", "1", "2100"), "Rhowch y dyddiad y rhoddwyd hysbysiad rhwng 1 Ionawr 1900 a 31 Rhagfyr 2099"),
    ])
    def test_the_messages_are_in_welsh_when_the_page_is(self, parts, message):
        """Decision 0058: the noun, given lazily, is read in the page's language with the sentence."""
        field = DateField(noun=gettext_lazy("the date notice was given"))

        with translation.override("cy"), pytest.raises(ValidationError) as refused:
            field.clean(list(parts))

        assert refused.value.messages == [message]

    def test_the_error_summary_links_to_the_day_input(self):
        form = WithdrawalForm(posted())

        assert form["given_on"].id_for_label == "id_given_on-day"

    def test_a_form_redisplays_what_was_typed(self):
        form = WithdrawalForm(posted("31", "2", "2026"))

        assert form["given_on"].value() == ["31", "2", "2026"]

    def test_a_date_it_holds_fills_the_three_inputs(self):
        form = WithdrawalForm(initial={"given_on": datetime.date(2027, 3, 27)})

        assert form["given_on"].value() == ["27", "3", "2027"]


class TestServiceErrorsMixin:
    def test_an_error_naming_a_field_of_the_form_is_shown_on_it(self):
        form = WithdrawalForm(posted("7", "3", "2026"))
        form.is_valid()

        form.add_service_errors(ValidationError({"reason": "Enter why the party is withdrawing"}))

        assert form.errors == {"reason": ["Enter why the party is withdrawing"]}

    def test_field_map_renames_the_services_field_to_the_forms(self):
        form = WithdrawalForm(posted("7", "3", "2026"))
        form.is_valid()

        form.add_service_errors(ValidationError({"notice_given_on": "Notice cannot be given in the future"}))

        assert form.errors == {"given_on": ["Notice cannot be given in the future"]}

    def test_an_error_naming_no_field_of_the_form_goes_above_it(self):
        form = WithdrawalForm(posted("7", "3", "2026"))
        form.is_valid()

        form.add_service_errors(ValidationError({"party": "The party has already withdrawn"}))

        assert form.non_field_errors() == ["The party has already withdrawn"]
        assert "party" not in form.errors

    def test_an_error_with_no_field_goes_above_the_form(self):
        form = WithdrawalForm(posted("7", "3", "2026"))
        form.is_valid()

        form.add_service_errors(ValidationError(["First problem", "Second problem"]))

        assert form.non_field_errors() == ["First problem", "Second problem"]


class TestModelMultipleChoiceField:
    @pytest.mark.django_db
    @pytest.mark.parametrize("pk", ["99999999999999999999", str(2 ** 63), "-" + "9" * 19, "1" * 5000])
    def test_an_id_no_key_can_be_is_not_one_of_the_choices(self, pk):
        # On SQLite such an ID in the IN query raised OverflowError, a 500 (issue 12).
        field = ModelMultipleChoiceField(queryset=Group.objects.all(), error_messages={
            "invalid_choice": "Select groups from the list",
        })

        with pytest.raises(ValidationError) as refused:
            field.clean([pk])

        assert refused.value.messages == ["Select groups from the list"]

    @pytest.mark.django_db
    def test_the_choices_are_still_chosen(self):
        group = Group.objects.create(name="SPOCs")

        assert list(ModelMultipleChoiceField(queryset=Group.objects.all()).clean([str(group.pk)])) == [group]


class GroupsForm(forms.Form):
    lead = ModelChoiceField(queryset=Group.objects.order_by("name"), required=False)
    groups = ModelMultipleChoiceField(queryset=Group.objects.order_by("name"), widget=forms.CheckboxSelectMultiple)


class TestChoicesIterator:
    @pytest.mark.django_db
    def test_the_choices_are_djangos_in_the_querysets_order(self):
        for name in ("SPOCs", "Auditors", "Managers"):
            Group.objects.create(name=name)
        plain = forms.ModelChoiceField(queryset=Group.objects.order_by("name"), required=False)
        form = GroupsForm()

        assert [(str(value), label) for value, label in form.fields["lead"].choices] == [
            (str(value), label) for value, label in plain.choices]
        assert [label for _, label in form.fields["groups"].choices] == ["Auditors", "Managers", "SPOCs"]
        assert str(form["lead"]) == plain.widget.render("lead", None, {"id": "id_lead"})

    @pytest.mark.django_db
    def test_choices_already_read_by_the_page_are_not_read_again(self, django_assert_num_queries):
        Group.objects.create(name="SPOCs")
        form = GroupsForm()

        with django_assert_num_queries(1):
            assert form.fields["groups"].queryset  # as a template asks whether there are any
            assert [label for _, label in form.fields["groups"].choices] == ["SPOCs"]
            str(form["groups"])

    @pytest.mark.django_db
    def test_each_form_reads_its_own_choices(self):
        GroupsForm().fields["groups"].queryset.exists()
        first = GroupsForm()
        assert list(first.fields["groups"].queryset) == []
        Group.objects.create(name="SPOCs")

        assert [label for _, label in GroupsForm().fields["groups"].choices] == ["SPOCs"]
