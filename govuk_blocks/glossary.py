"""The glossary's terms (templates/pages/glossary.html, /help/glossary/) and the "What is this?"
link a form's hint gives to one of them. Here, at the bottom layer, so that every app's forms
and templates can link a term without importing upwards (decision 0038)."""

from django.utils.functional import keep_lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

GLOSSARY_PATH = "/help/glossary/"

# (anchor, name), in the glossary's order. Each anchor is an id on the glossary page
# (tests/isa_portal/test_help_views.py checks it).
GLOSSARY_TERMS = (
    ("spoc", "Single point of contact (SPOC)"),
    ("legal-gateway", "Legal gateway"),
    ("article-6", "Article 6 lawful basis"),
    ("article-9", "Article 9 condition"),
    ("schedule-1", "Schedule 1 condition"),
    ("part-3", "DPA 2018 Part 3 (law enforcement)"),
    ("dpia", "Data protection impact assessment (DPIA)"),
    ("designated-manager", "Designated manager"),
    ("onward-disclosure", "Onward disclosure"),
    ("retention-rule", "Retention rule"),
    ("breach-clocks", "Breach clocks"),
)
TERM_NAMES = dict(GLOSSARY_TERMS)


def glossary_url(term: str) -> str:
    if term not in TERM_NAMES:
        raise ValueError(f"Not a glossary term: {term!r}")
    return f"{GLOSSARY_PATH}#{term}"


def glossary_link(term: str):
    """A "What is this?" link to ``term`` that opens in a new tab, so a half-filled form is not lost."""
    return format_html(
        '<a class="govuk-link" href="{}" target="_blank" rel="noopener noreferrer">{}'
        '<span class="govuk-visually-hidden"> {}</span> {}</a>',
        glossary_url(term), _("What is this?"), _("%(term)s in the glossary") % {"term": TERM_NAMES[term]},
        _("(opens in new tab)"),
    )


@keep_lazy(SafeString)
def glossary_hint(text: str, term: str):
    """A field's help text followed by the "What is this?" link to ``term``; lazy when ``text`` is
    (a form's help text, written at import), so that both are in the language of the request."""
    if text:
        return format_html("{} {}", text, glossary_link(term))
    return glossary_link(term)
