"""The log form's received-entries question builds its queryset only when it is needed."""

import pytest
from django.contrib.auth.models import Group

from sharing_log.forms.log_form_choices import ReceivedEntryField


def field_counting(built: list) -> ReceivedEntryField:
    field = ReceivedEntryField(queryset=None, required=False)

    def entries():
        built.append(1)
        return Group.objects.order_by("pk")

    field.entries = entries
    return field


def test_a_blank_answer_builds_no_queryset():
    built = []

    assert field_counting(built).clean("") is None
    assert built == []


@pytest.mark.django_db
def test_an_answer_is_found_in_the_queryset_built_once():
    group = Group.objects.create(name="Entry")
    built = []
    field = field_counting(built)

    assert field.clean(str(group.pk)) == group
    assert field.queryset.get() == group
    assert built == [1]
