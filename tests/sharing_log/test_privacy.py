"""Spotting identifiers in case references and summaries: what is caught, and what is not."""

import datetime

import pytest

from sharing_log.privacy import describe, identifier_kinds, nhs_number_is_valid

TODAY = datetime.date(2026, 11, 22)


def kinds(text: str) -> list[str]:
    return identifier_kinds(text, today=TODAY)


class TestNhsNumber:
    @pytest.mark.parametrize("text", [
        "9434765919", "943 476 5919", "943-476-5919", "NHS no 943 476 5919 held on file", "ASB9434765919",
    ])
    def test_ten_digits_with_a_valid_check_digit_are_an_nhs_number(self, text):
        assert kinds(text) == ["nhs_number"]

    @pytest.mark.parametrize("text", [
        "1234567890",  # the check digit would be 10: no NHS number has it
        "9434765918",  # wrong check digit
        "ASB-0000012345", "943 476 591", "94347659190",
    ])
    def test_other_runs_of_digits_are_not(self, text):
        assert "nhs_number" not in kinds(text)

    def test_the_modulus_11_check(self):
        assert (nhs_number_is_valid("9434765919"), nhs_number_is_valid("9434765910")) == (True, False)


class TestDateOfBirth:
    @pytest.mark.parametrize("text", [
        "DOB 12/03/2014", "d.o.b. 3.4.09", "date of birth: 2014-03-12", "born on 3 March 2024",
        "Born 1 Jan 2026",  # labelled: recent, but still a birthday
        "12/03/2014", "2014-03-12", "12th Mar 2010", "3 September 1987",  # more than a year ago
    ])
    def test_a_labelled_or_old_full_date_is_a_date_of_birth(self, text):
        assert kinds(text) == ["date_of_birth"]

    @pytest.mark.parametrize("text", [
        "Joint visit on 12/03/2026", "Meeting 2026-11-20", "Seen on 21 November 2026", "Case opened March 2014",
        "31/02/2010",  # not a real date
        "ASB-2026-0042", "CSE/2026/117", "MARAC 2026-11",
    ])
    def test_a_recent_date_a_month_and_year_or_a_reference_is_not(self, text):
        assert "date_of_birth" not in kinds(text)


class TestPostcode:
    @pytest.mark.parametrize("text", ["CB1 2AB", "cb12ab", "Lives at SW1A 1AA", "M1 1AE", "B33 8TH"])
    def test_a_full_postcode_is_found(self, text):
        assert kinds(text) == ["postcode"]

    @pytest.mark.parametrize("text", [
        "CB1", "the CB1 area", "Crime and Disorder Act 1998 s115", "Art 6(1)(e)", "Sch 1 Pt 2 para 10",
        "at 3pm on level 2", "ASB-00042",
    ])
    def test_an_outward_code_or_a_legal_citation_is_not(self, text):
        assert "postcode" not in kinds(text)


class TestEmail:
    @pytest.mark.parametrize("text", ["pat.example@borsetshire.gov.uk", "Contact: o'neil+work@police.example.uk"])
    def test_an_address_is_found(self, text):
        assert kinds(text) == ["email"]

    @pytest.mark.parametrize("text", ["@Borsetshire", "meeting @ 3", "ASB@2026"])
    def test_an_at_sign_alone_is_not(self, text):
        assert "email" not in kinds(text)


class TestPhone:
    @pytest.mark.parametrize("text", [
        "01632 960000", "(01632) 960 000", "07700 900123", "07700-900-123", "+44 7700 900123",
        "+44 (0)1632 960000", "020 7946 0018", "call 07700900123 today",
    ])
    def test_a_uk_number_is_found(self, text):
        assert kinds(text) == ["phone"]

    @pytest.mark.parametrize("text", ["0000123456", "ASB-00042", "01632", "Ref 0412 3456 7890"])
    def test_zero_padded_references_and_short_numbers_are_not(self, text):
        assert "phone" not in kinds(text)


@pytest.mark.parametrize("text", [
    "", "ASB-2026-0042", "Tenancy status and ASB history, to plan a joint visit.",
    "Risk assessment shared at MARAC under s115.",
])
def test_ordinary_references_and_summaries_hold_nothing(text):
    assert kinds(text) == []


def test_several_kinds_are_reported_in_a_fixed_order():
    text = "Call 07700 900123 or write to pat@borsetshire.gov.uk, CB1 2AB; NHS 943 476 5919; DOB 1/2/2010"

    assert kinds(text) == ["nhs_number", "date_of_birth", "postcode", "email", "phone"]


@pytest.mark.parametrize(("found", "words"), [
    ([], ""),
    (["postcode"], "a postcode"),
    (["postcode", "phone"], "a postcode and a phone number"),
    (["nhs_number", "email", "phone"], "an NHS number, an e-mail address and a phone number"),
])
def test_describe_names_what_was_found_in_plain_english(found, words):
    assert describe(found) == words
