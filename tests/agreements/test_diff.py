"""What changed between two versions' content (agreements.diff): pure functions, no database."""

from agreements.diff import (
    ADDED,
    CHANGED,
    DELETE,
    EQUAL,
    INSERT,
    REMOVED,
    FieldChange,
    ItemChange,
    Segment,
    content_diff,
    list_diff,
    section_diff,
    word_diff,
)


def section(number, heading, body=""):
    return {"number": number, "heading": heading, "body": body}


def content(**changes):
    """A version's content as ``agreements.selectors.agreement_content`` makes it."""
    base = {
        "title": "Borsetshire Community Safety Information Sharing Agreement",
        "reference": "BCSP ISA",
        "kind": "agreement",
        "parent": None,
        "owner": "Borsetshire County Council",
        "protective_marking": "official",
        "purposes": ["To reduce crime and disorder"],
        "sections": [section("1", "Purpose", "The partners share information.")],
        "data_items": [],
        "gateways": ["cda-1998-s115"],
        "transfer_methods": ["secure_email"],
        "consent_position": "",
        "retention_months_after_closure": 18,
        "retention_rule": "",
        "review_first_after_months": 6,
        "review_every_months": 12,
    }
    return {**base, **changes}


class TestWordDiff:
    def test_marks_the_words_deleted_and_inserted(self):
        assert word_diff("Records are kept for 18 months.", "Records are kept for 24 months.") == [
            Segment(EQUAL, "Records are kept for "),
            Segment(DELETE, "18"),
            Segment(INSERT, "24"),
            Segment(EQUAL, " months."),
        ]

    def test_an_insertion_alone_deletes_nothing(self):
        assert word_diff("Share information securely.", "Share information quickly and securely.") == [
            Segment(EQUAL, "Share information "),
            Segment(INSERT, "quickly and "),
            Segment(EQUAL, "securely."),
        ]

    def test_a_comma_added_after_a_word_leaves_the_word_alone(self):
        assert word_diff("reduce crime and disorder.", "reduce crime, disorder and anti-social behaviour.") == [
            Segment(EQUAL, "reduce crime"),
            Segment(INSERT, ", disorder"),
            Segment(EQUAL, " and "),
            Segment(DELETE, "disorder"),
            Segment(INSERT, "anti-social behaviour"),
            Segment(EQUAL, "."),
        ]

    def test_keeps_line_breaks_so_the_text_reads_as_written(self):
        segments = word_diff("One.\n\nTwo.", "One.\n\nThree.")

        assert "".join(s.text for s in segments if s.op != INSERT) == "One.\n\nTwo."
        assert "".join(s.text for s in segments if s.op != DELETE) == "One.\n\nThree."

    def test_same_text_is_one_kept_segment(self):
        assert word_diff("Unchanged text.", "Unchanged text.") == [Segment(EQUAL, "Unchanged text.")]


class TestSectionDiff:
    def test_a_changed_body_is_a_changed_section_with_its_word_diff(self):
        changes = section_diff(
            [section("5", "Retention", "Kept for 18 months.")],
            [section("5", "Retention", "Kept for 24 months.")],
        )

        assert [(c.change, c.title) for c in changes] == [(CHANGED, "5. Retention")]
        assert changes[0].body_segments == [
            Segment(EQUAL, "Kept for "), Segment(DELETE, "18"), Segment(INSERT, "24"), Segment(EQUAL, " months."),
        ]
        assert changes[0].heading_segments == []

    def test_sections_added_and_removed_are_named(self):
        changes = section_diff(
            [section("1", "Purpose"), section("2", "Partners")],
            [section("1", "Purpose"), section("3", "Complaints", "Write to the owner.")],
        )

        assert [(c.change, c.title) for c in changes] == [(REMOVED, "2. Partners"), (ADDED, "3. Complaints")]
        assert changes[1].body == "Write to the owner."

    def test_an_unchanged_section_is_left_out(self):
        assert section_diff([section("1", "Purpose", "Text.")], [section("1", "Purpose", "Text.")]) == []

    def test_a_renumbered_section_is_matched_by_its_heading(self):
        changes = section_diff(
            [section("4", "Retention", "Kept for 18 months.")],
            [section("5", "Retention", "Kept for 18 months.")],
        )

        assert [(c.change, c.old_number, c.number, c.renumbered) for c in changes] == [(CHANGED, "4", "5", True)]

    def test_a_new_heading_for_the_same_number_is_a_change(self):
        changes = section_diff([section("2", "Partners")], [section("2", "The partners")])

        assert changes[0].change == CHANGED
        assert changes[0].heading_segments == [Segment(DELETE, "Partners"), Segment(INSERT, "The partners")]

    def test_a_removed_section_is_listed_where_it_used_to_be(self):
        changes = section_diff(
            [section("1", "Purpose", "a"), section("2", "Partners"), section("3", "Retention", "b")],
            [section("1", "Purpose", "a changed"), section("3", "Retention", "b changed")],
        )

        assert [c.title for c in changes] == ["1. Purpose", "2. Partners", "3. Retention"]


class TestListDiff:
    def test_an_edited_purpose_is_a_change_in_place(self):
        changes = list_diff(["To reduce crime", "To safeguard children"], ["To reduce crime and disorder",
                                                                           "To safeguard children"])

        assert changes == [ItemChange(CHANGED, "To reduce crime and disorder", word_diff(
            "To reduce crime", "To reduce crime and disorder"))]

    def test_purposes_added_and_removed(self):
        changes = list_diff(["To reduce crime"], ["To reduce crime", "To keep staff safe"])

        assert changes == [ItemChange(ADDED, "To keep staff safe")]


class TestContentDiff:
    def test_no_change_has_no_changes(self):
        assert content_diff(content(), content()).has_changes is False

    def test_a_gateway_added_and_one_removed_are_named_by_their_labels(self):
        diff = content_diff(
            content(gateways=["cda-1998-s115"]), content(gateways=["ca-2004-s11"]),
            gateway_labels={
                "cda-1998-s115": "Crime and Disorder Act 1998 s115", "ca-2004-s11": "Children Act 2004 s11",
            },
        )

        assert diff.gateways == [
            ItemChange(REMOVED, "Crime and Disorder Act 1998 s115"), ItemChange(ADDED, "Children Act 2004 s11"),
        ]

    def test_retention_and_review_changes_show_old_and_new(self):
        diff = content_diff(content(), content(retention_months_after_closure=24, review_every_months=24))

        assert diff.retention_review == [
            FieldChange("Records destroyed after the case is closed", "18 months", "24 months"),
            FieldChange("Then a review every", "12 months", "24 months"),
        ]

    def test_details_are_shown_in_words_not_codes(self):
        diff = content_diff(content(), content(protective_marking="official_sensitive"))

        assert diff.details == [FieldChange("Protective marking", "OFFICIAL", "OFFICIAL-SENSITIVE")]

    def test_a_data_item_change_names_the_provider_and_level(self):
        item = {"provider": "Borsetshire Police", "level": "minimum", "description": "Names and addresses"}
        diff = content_diff(content(data_items=[]), content(data_items=[item]))

        assert diff.data_items == [
            ItemChange(ADDED, "Borsetshire Police (Minimum data (identifying details)): Names and addresses"),
        ]

    def test_transfer_methods_are_named(self):
        diff = content_diff(content(), content(transfer_methods=["secure_email", "meeting"]))

        assert diff.transfer_methods == [ItemChange(ADDED, "In a meeting")]

    def test_a_key_only_one_version_has_is_not_compared(self):
        # Versions frozen before parties left the content still name them.
        diff = content_diff({**content(), "parties": ["Borsetshire Police"]}, content())

        assert diff.has_changes is False

    def test_counts_sections_by_kind_of_change(self):
        diff = content_diff(
            content(sections=[section("1", "Purpose", "a"), section("2", "Partners")]),
            content(sections=[section("1", "Purpose", "b"), section("3", "Complaints")]),
        )

        assert (diff.sections_changed, diff.sections_added, diff.sections_removed) == (1, 1, 1)
