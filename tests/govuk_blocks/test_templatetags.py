"""The ``govuk`` tag library and the includes built on it, rendered as a page would."""

import datetime
import re

from django import forms
from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import RequestFactory

from govuk_blocks.forms import DateField


class ReviewForm(forms.Form):
    summary = forms.CharField(label="Summary", help_text="What was found", max_length=10)
    outcome = forms.ChoiceField(label="Outcome", choices=[("", "---------"), ("renew", "Renew"), ("end", "End")],
                                widget=forms.RadioSelect)
    completed_on = DateField(noun="the date it was completed", label="Date completed")


def render(source: str, **context) -> str:
    return Template("{% load govuk %}" + source).render(Context(context))


class TestFieldFilters:
    def test_a_field_with_a_hint_and_an_error_is_described_by_both_in_gov_uk_order(self):
        form = ReviewForm({"summary": "far too long a summary"})

        assert render("{{ form.summary|describedby }}", form=form) == "id_summary-hint id_summary-error"

    def test_the_error_summary_links_to_the_first_real_option_of_radios(self):
        form = ReviewForm({})

        assert render("{{ form.outcome|error_anchor }}", form=form) == "id_outcome_1"

    def test_a_text_input_is_rendered_with_the_gov_uk_class_and_its_error_modifier(self):
        form = ReviewForm({"summary": "far too long a summary"})

        html = render("{{ form.summary|govuk_widget }}", form=form)

        assert 'class="govuk-input govuk-input--error"' in html
        assert 'aria-describedby="id_summary-hint id_summary-error"' in html


class TestIncludes:
    def test_the_field_include_shows_label_hint_error_and_control(self):
        form = ReviewForm({"summary": "far too long a summary"})

        html = render('{% include "govuk_blocks/includes/field.html" with field=form.summary %}', form=form)

        assert "govuk-form-group--error" in html
        assert '<label class="govuk-label" for="id_summary">' in html
        assert 'id="id_summary-hint"' in html
        assert re.search(r'id="id_summary-error".*Error:</span> Ensure this value has at most 10', html, re.S)

    def test_the_date_input_names_its_inputs_day_month_and_year_and_keeps_what_was_typed(self):
        form = ReviewForm({"completed_on-day": "31", "completed_on-month": "2", "completed_on-year": "2026"})
        form.is_valid()

        html = render('{% include "govuk_blocks/includes/date_input.html" with field=form.completed_on %}', form=form)

        for part, value in (("day", "31"), ("month", "2"), ("year", "2026")):
            assert f'id="id_completed_on-{part}" name="completed_on-{part}" type="text" inputmode="numeric" ' \
                   f'value="{value}"' in html
        assert "The date it was completed must be a real date" in html

    def test_the_error_summary_links_each_error_to_its_field(self):
        form = ReviewForm({})
        form.is_valid()

        html = render('{% include "govuk_blocks/includes/error_summary.html" %}', form=form)

        assert '<a href="#id_summary">' in html
        assert '<a href="#id_outcome_1">' in html
        assert '<a href="#id_completed_on-day">Enter the date it was completed</a>' in html

    def test_pagination_shows_only_the_links_it_is_given(self):
        html = render(
            '{% include "govuk_blocks/includes/pagination.html" with label="Pages of entries" noun="entries" '
            'older_url="?after=abc" %}'
        )

        assert 'aria-label="Pages of entries"' in html
        assert 'href="?after=abc" rel="next"' in html
        assert "Older<span class=\"govuk-visually-hidden\"> entries</span>" in html
        assert 'rel="prev"' not in html

    def test_pagination_with_no_links_renders_nothing(self):
        assert render('{% include "govuk_blocks/includes/pagination.html" with label="Pages" %}').strip() == ""


class TestNumberedPagination:
    """GOV.UK's numbered pagination: first, last, the current page and its neighbours."""

    def links(self, number: int, pages: int, **query) -> str:
        page = Paginator(range(pages * 10), 10).page(number)
        request = RequestFactory().get("/partners/", {**query, "page": number})
        return render(
            '{% page_links page as links %}'
            '{% include "govuk_blocks/includes/pagination.html" with label="Pages of organisations" links=links %}',
            page=page, request=request,
        )

    @staticmethod
    def shown(html: str) -> list[str]:
        """The list's items as a reader meets them: page numbers and "…" for a gap."""
        items = re.findall(r'aria-label="Page (\d+)"|(&ctdot;)', html)
        return [number or "…" for number, _ in items]

    def test_a_middle_page_shows_first_last_and_neighbours_with_gaps(self):
        html = self.links(6, 12)

        assert self.shown(html) == ["1", "…", "5", "6", "7", "…", "12"]
        assert 'href="?page=6" aria-label="Page 6" aria-current="page"' in html
        assert 'href="?page=5" rel="prev"' in html and 'href="?page=7" rel="next"' in html
        assert 'aria-label="Pages of organisations"' in html

    def test_the_first_page_has_no_previous_link(self):
        html = self.links(1, 3)

        assert self.shown(html) == ["1", "2", "3"]
        assert 'rel="prev"' not in html
        assert 'Next<span class="govuk-visually-hidden"> page</span>' in html

    def test_the_last_page_has_no_next_link(self):
        html = self.links(4, 4)

        assert self.shown(html) == ["1", "…", "3", "4"]
        assert 'rel="next"' not in html

    def test_the_links_keep_the_filters(self):
        assert 'href="?sector=police&amp;page=2" rel="next"' in self.links(1, 2, sector="police")

    def test_one_page_renders_nothing(self):
        assert self.links(1, 1).strip() == ""


class TestDatesAndAddresses:
    def test_date_filters_write_dates_the_gov_uk_way(self):
        moment = datetime.datetime(2026, 12, 6, 14, 5, tzinfo=datetime.UTC)

        assert render("{{ day|long_date }}; {{ moment|date_time }}", day=datetime.date(2026, 12, 6), moment=moment) \
            == "6 December 2026; 6 December 2026 at 2:05pm"

    def test_query_url_changes_one_parameter_and_keeps_the_others(self):
        request = RequestFactory().get("/log/", {"organisation": "7", "after": "abc"})

        html = render(
            "{% query_url before='xyz' after=None as newer %}{{ newer }}", request=request,
        )

        assert html == "?organisation=7&amp;before=xyz"
