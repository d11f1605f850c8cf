"""The accessibility check must be able to fail, or a passing journey proves nothing."""

import pytest

from .helpers import assert_no_axe_violations, check_page, fits_narrow

ACCESSIBLE = """<!DOCTYPE html>
<html lang="en-GB">
  <head><meta charset="utf-8"><title>Accessible</title></head>
  <body>
    <main>
      <h1>A page with nothing wrong</h1>
      <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="A dot">
      <label for="name">Name</label>
      <input id="name" type="text">
    </main>
  </body>
</html>"""

INACCESSIBLE = """<!DOCTYPE html>
<html lang="en-GB">
  <head><meta charset="utf-8"><title>Inaccessible</title></head>
  <body>
    <main>
      <h1>A page with faults</h1>
      <img id="no-alt" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
      <input id="no-label" type="text">
    </main>
  </body>
</html>"""


def test_axe_passes_an_accessible_page(page):
    page.set_content(ACCESSIBLE)
    assert_no_axe_violations(page)


def test_axe_fails_an_image_without_alt_and_an_input_without_label(page, capsys):
    page.set_content(INACCESSIBLE)
    with pytest.raises(AssertionError) as failure:
        assert_no_axe_violations(page)
    report = str(failure.value)
    assert "image-alt" in report and "#no-alt" in report
    assert "label" in report and "#no-label" in report
    assert "Images must have alternative text" in report  # axe's help text
    assert report in capsys.readouterr().out  # printed too


def test_axe_fails_on_minor_and_best_practice_violations(page):
    """Every impact fails, not just serious and critical: a skipped heading level is a
    "moderate" best-practice finding (heading-order), a page without <main> another."""
    page.set_content(
        '<!DOCTYPE html><html lang="en-GB"><head><title>Headings</title></head>'
        "<body><h1>Title</h1><h4>Skipped two levels</h4></body></html>"
    )
    with pytest.raises(AssertionError, match="heading-order"):
        assert_no_axe_violations(page)


def radio_page(radio_class: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en-GB">
  <head><meta charset="utf-8"><title>Radios</title></head>
  <body><main><h1>Consent</h1><fieldset><legend>Was consent sought?</legend>
    <input class="{radio_class}" id="no" name="consent" type="radio" value="no"
      aria-controls="conditional-no" aria-expanded="false"><label for="no">No</label>
    <div id="conditional-no"><label for="why">Why not?</label><input id="why" type="text"></div>
  </fieldset></main></body>
</html>"""


def test_axe_lets_through_govuk_s_known_radio_reveal_finding_only(page):
    """GOV.UK Frontend's aria-expanded on a revealing radio (alphagov/govuk-frontend#979) passes;
    the same attribute on any other radio still fails."""
    page.set_content(radio_page("govuk-radios__input"))
    assert_no_axe_violations(page)

    page.set_content(radio_page("my-radio"))
    with pytest.raises(AssertionError, match="aria-allowed-attr"):
        assert_no_axe_violations(page)


def test_check_page_the_journeys_one_check_fails_too(page):
    """``check_page``, which every journey calls, runs the same check: once GOV.UK Frontend has
    started (the class init.js sets), an inaccessible page fails it."""
    started = INACCESSIBLE.replace("<body>", '<body class="govuk-frontend-supported">')
    page.set_content(started)
    with pytest.raises(AssertionError, match="image-alt"):
        check_page(page)

    page.set_content(ACCESSIBLE.replace("<body>", '<body class="govuk-frontend-supported">'))
    check_page(page, heading="A page with nothing wrong")


def test_the_narrow_screen_check_fails_on_a_page_that_scrolls_sideways(page):
    page.set_content('<!DOCTYPE html><html lang="en"><body><p style="width: 600px">Too wide.</p></body></html>')

    with pytest.raises(AssertionError, match="scrolls 2[0-9]{2} px sideways at 320 px"):
        fits_narrow(page)
    page.set_content('<!DOCTYPE html><html lang="en"><body><p>Fits.</p></body></html>')
    fits_narrow(page)
