"""Hypothesis strategies for hostile form posts (tests/test_forms_fuzz.py, issue 12, bad input).

What a browser, or someone with a browser's developer tools, can send to a form: every field
missing, given once or repeated; text that is overlong, made of control characters, Unicode
edge cases (right-to-left overrides, combining marks, zero-width and fullwidth characters,
non-ASCII digits, emoji, the byte order mark — never lone surrogates, which are not valid UTF-8
and so cannot arrive in a request), numbers far out of range, impossible dates, valid choices,
and the IDs of objects that belong to another organisation; files that are empty, garbage or
a script behind a PDF's first bytes.
"""

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from govuk_blocks.forms import DateWidget

from . import uploads

# Reproducible in CI (derandomize), no example database on disk, no deadline: a slow example is
# the machine, not the code.
FUZZ = {
    "deadline": None, "derandomize": True, "database": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                              HealthCheck.data_too_large, HealthCheck.filter_too_much],
}


def fuzz_settings(examples: int) -> settings:
    return settings(max_examples=examples, **FUZZ)


NASTY = [
    "", " ", "\t", "\r\n", "\x00", "\x00abc", "\x07\x08\x1b[31m", "\x7f", "\u0085", "\u00a0", "\u200b", "\u200e",
    "\u202e\u202d", "\ufeff", "\ufffd", "\uffff", "e\u0301\u0301\u0301", "\U0001f600", "\U0001f468\u200d\U0001f469",
    "\uff1d1+1", "=cmd|' /C calc'!A0", "@SUM(1)", "<script>alert(1)</script>", "' OR 1=1 --", "%00", "%s%n",
    "{{ 7*7 }}", "../../etc/passwd", "null", "None", "true", "[]", "{}", "NaN", "Infinity", "-0", "1e400",
    "-1", "0", "00", "9" * 20, "-" + "9" * 20, "1" * 5000, "\u0663", "\uff19", "\U0001d7d7", "\u00b2", "ﬀ", "ǅ",
    "İ", "ß", "x" * 256, "A" * 70_000, "a\nb", "\u2028", "café", "Zoë O'Brien", "2026-02-30", "31/12/9999",
]

# Overlong text comes from NASTY (256, 5,000 and 70,000 characters) and by repeating a drawn
# piece: generating thousands of characters one by one would cost more than the forms do.
text = st.one_of(
    st.sampled_from(NASTY),
    st.text(st.characters(exclude_categories=("Cs",)), max_size=30),
    st.tuples(st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=8),
              st.sampled_from([101, 256, 2001, 10_001])).map(lambda piece: (piece[0] * piece[1])[: piece[1]]),
    st.integers(min_value=-(10 ** 30), max_value=10 ** 30).map(str),
)

DATE_PARTS = ["0", "00", "0000", "0001", "1", "7", "12", "13", "29", "31", "32", "-1", "1899", "1900", "2026",
              "2099", "2100", "9999", "10000", "99999999999999999999", "\u0662\u0660\u0662\u0666", "\u00b2", " 7 ",
              "7.0", "1e3", "+5", ""]


def _choice_values(field) -> list[str]:
    values = []
    for value, label in getattr(field, "choices", ()):
        if isinstance(label, (list, tuple)):  # an optgroup
            values.extend(str(inner) for inner, _ in label)
        else:
            values.append(str(getattr(value, "value", value)))
    return [value for value in values if value != ""]


def field_keys(bound) -> list[str]:
    """The names a field reads from a post: a date input's three, else its own."""
    if isinstance(bound.field.widget, DateWidget):
        return [f"{bound.html_name}-{part}" for part in DateWidget.PARTS]
    return [bound.html_name]


def candidates(field, key: str, foreign_ids: list[int]) -> list[str]:
    """What a key may be sent: its valid choices first (so posts get past the first check and
    reach the form's own rules), other organisations' IDs, and NASTY."""
    values = []
    if key.endswith(("-day", "-month", "-year")):
        values += DATE_PARTS
    if isinstance(field, forms.BooleanField):
        values += ["on", "true", "false", "0", "1"]
    values += _choice_values(field)[:50] if isinstance(field, (forms.ChoiceField, forms.ModelChoiceField)) else []
    return values + [str(pk) for pk in foreign_ids] + NASTY


FILES = [
    b"", b"not a file at all", uploads.PDF_THEN_HTML, b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, b"\xff\xd8\xff\xe0\x00",
    uploads.PDF, uploads.PNG, uploads.JPEG, b"name,email\r\n=1+1,a@b\r\n", b"PK\x03\x04" + b"\x00" * 40,
]
file_strategy = st.one_of(
    st.none(),
    st.tuples(st.sampled_from(["form.pdf", "x.png", "a.csv", "b.xlsx", "..\\..\\x.exe", "\u202eFDP.exe", ""]),
              st.one_of(st.sampled_from(FILES), st.binary(max_size=300))),
)


def posts(form, foreign_ids: list[int]):
    """A strategy of ``(data, files)`` for ``form``: each key missing, given once or repeated,
    from its candidates; then one key given text hypothesis makes up, and perhaps a key no field
    reads. Built once per form, and cheap to draw from: most of the cost of a hostile post
    should be the form's, not the generator's."""
    keys, file_keys = {}, []
    for name, field in form.fields.items():
        bound = form[name]
        if isinstance(field, forms.FileField):
            file_keys.append(bound.html_name)
            continue
        for key in field_keys(bound):
            keys[key] = st.lists(st.sampled_from(candidates(field, key, foreign_ids)), max_size=2)
    free = st.tuples(st.sampled_from(sorted(keys) or ["anything"]), text)
    extra = st.one_of(st.none(), st.tuples(
        st.sampled_from(["csrfmiddlewaretoken", "pk", "id", "organisation_id", "__proto__"]), text,
    ))
    return st.tuples(
        st.fixed_dictionaries(keys), free, extra, st.fixed_dictionaries({key: file_strategy for key in file_keys}),
    ).map(_as_post)


def _as_post(drawn) -> tuple[QueryDict, dict]:
    values, free, extra, chosen_files = drawn
    data = QueryDict(mutable=True)
    for key, given in values.items():
        if given:
            data.setlist(key, given)
    data.setlist(free[0], [free[1]])
    if extra:
        data.setlist(extra[0], [extra[1]])
    files = {
        key: SimpleUploadedFile(chosen[0] or "upload", chosen[1])
        for key, chosen in chosen_files.items() if chosen is not None
    }
    return data, files
