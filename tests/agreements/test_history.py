"""How the audit trail is worded for people (``agreements.history``)."""

import pytest

from agreements.history import EXCERPT_CHARS, NOTHING, FieldChange, author, excerpt, text_change
from tests.factories import UserFactory


class TestExcerpt:
    def test_short_text_is_shown_whole_with_its_spacing_tidied(self):
        assert excerpt("Share  only\nwhat is   needed.") == "Share only what is needed."

    def test_long_text_is_cut_with_an_ellipsis(self):
        text = "word " * 100

        cut = excerpt(text)

        assert cut.endswith("…") and not cut.startswith("…")
        assert len(cut) <= EXCERPT_CHARS + 1

    def test_from_the_middle_it_starts_at_a_word(self):
        text = " ".join(f"w{n:03d}" for n in range(100))

        cut = excerpt(text, start=102)

        assert cut.startswith("…w0")
        assert cut[1:].split(" ")[0] in text.split(" ")


class TestTextChange:
    def test_short_texts_are_shown_whole(self):
        assert text_change("Six years", "Eighteen months") == ("Six years", "Eighteen months")

    def test_empty_text_reads_nothing(self):
        assert text_change("", "Added") == (NOTHING, "Added")

    def test_long_texts_are_cut_at_the_same_point_just_before_the_change(self):
        common = "Partners share information lawfully. " * 8
        old, new = text_change(common + "Keep for six years.", common + "Keep for eighteen months.")

        assert old.startswith("…") and new.startswith("…")
        assert old.endswith("Keep for six years.") and new.endswith("Keep for eighteen months.")


class TestFieldChangeInPlainWords:
    def test_a_changed_value_reads_from_old_to_new(self):
        assert str(FieldChange("Status", "Draft", "In force")) == "Status changed from Draft to In force"

    def test_a_value_first_set_says_it_was_not_set(self):
        change = FieldChange("Review date", NOTHING, "1 April 2027")

        assert str(change) == "Review date set to 1 April 2027 (was not set)"

    def test_a_value_taken_away_says_what_it_was(self):
        change = FieldChange("Provided by", "Borsetshire Police", NOTHING)

        assert str(change) == "Provided by removed (was Borsetshire Police)"

    def test_free_text_is_quoted(self):
        change = FieldChange("Heading", "Consent", "Consent and its exceptions", quoted=True)

        assert str(change) == "Heading changed from “Consent” to “Consent and its exceptions”"

    def test_free_text_first_written_is_quoted_and_was_not_set(self):
        assert str(FieldChange("Findings", NOTHING, "All in order.", quoted=True)) == (
            "Findings set to “All in order.” (was not set)"
        )

    def test_a_note_stands_for_the_values(self):
        change = FieldChange("Text and terms", note="changed (compare the versions to see how)")

        assert str(change) == "Text and terms changed (compare the versions to see how)"

    def test_nothing_is_never_printed_as_a_word(self):
        assert "nothing" not in str(FieldChange("Joined on", NOTHING, "5 May 2026"))


@pytest.mark.django_db
class TestAuthor:
    class Row:
        def __init__(self, user=None, reason=None):
            self.history_user, self.history_change_reason = user, reason

    def test_a_person_by_full_name(self):
        user = UserFactory(first_name="Robin", last_name="Ashdown")

        assert author(self.Row(user)) == "Robin Ashdown"

    def test_a_person_without_a_name_by_username(self):
        user = UserFactory(first_name="", last_name="", username="r.ashdown")

        assert author(self.Row(user)) == "r.ashdown"

    def test_the_demo_loader(self):
        assert author(self.Row(reason="Demo data")) == "Demo data"

    def test_anything_else_without_a_person_is_the_system(self):
        assert author(self.Row()) == "System"
