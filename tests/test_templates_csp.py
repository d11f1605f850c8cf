"""No inline script or style in any template or HTML-making Python string, so that the
Content-Security-Policy needs no 'unsafe-inline' (docs/decisions/0022). A page in a browser would
show the breakage only where a journey happens to go; these read every template.

The rules: no ``style="…"`` attribute, no ``<style>`` element, no inline event handler
(``onclick=``) or ``javascript:`` URL; every ``<script>`` carries the response's nonce, except on
the 500 page, which is rendered without a request and may only load the portal's own files."""

import re
from pathlib import Path

import django
import guardian
import simple_history

ROOT = Path(__file__).resolve().parent.parent
APPS = ["govuk_blocks", "partners", "agreements", "sharing_log", "isa_portal", "api"]
NOT_OURS = {"node_modules", ".venv", "static", "staticfiles", "var", "tests"}

STYLE_ATTRIBUTE = re.compile(r"""\sstyle\s*=""", re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)
EVENT_HANDLER = re.compile(r"""<[^>]*\son[a-z]+\s*=""", re.I)
JAVASCRIPT_URL = re.compile(r"""javascript:""", re.I)
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.I)
NONCE = 'nonce="{{ request.csp_nonce }}"'
NO_REQUEST = {"templates/500.html"}  # django.views.defaults.server_error: no context at all
# E-mails are read in mail clients, never served under the portal's Content-Security-Policy, and
# mail clients drop <link>ed and <style> sheets: their HTML may only style inline
# (docs/decisions/0039). Scripts and event handlers stay forbidden there too.
EMAIL = ROOT / "templates" / "email"


def templates() -> list[Path]:
    found = sorted((ROOT / "templates").rglob("*.html"))
    for app in APPS:
        found += sorted((ROOT / app / "templates").rglob("*.html"))
    return found


def app_python() -> list[Path]:
    return [
        path for app in APPS for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
    ]


def name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_the_rules_see_every_template():
    # A moved templates folder would otherwise leave the rules below reading nothing.
    assert len(templates()) > 100
    assert "templates/base.html" in {name(path) for path in templates()}


def test_no_template_has_a_style_attribute_or_element():
    found = [
        f"{name(path)}:{number}"
        for path in templates() if not path.is_relative_to(EMAIL)
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if STYLE_ATTRIBUTE.search(line) or STYLE_ELEMENT.search(line)
    ]
    assert found == []


def test_no_template_has_an_inline_event_handler_or_javascript_url():
    found = [
        f"{name(path)}:{number}"
        for path in templates()
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if EVENT_HANDLER.search(line) or JAVASCRIPT_URL.search(line)
    ]
    assert found == []


def test_every_script_in_a_template_carries_the_responses_nonce():
    without_nonce = [
        f"{name(path)}: {tag}"
        for path in templates() if name(path) not in NO_REQUEST
        for tag in SCRIPT_TAG.findall(path.read_text())
        if NONCE not in tag
    ]
    assert without_nonce == []


def test_the_500_page_only_loads_the_portals_own_scripts():
    text = (ROOT / "templates/500.html").read_text()
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", text, re.S)

    assert scripts
    assert all(re.search(r'\ssrc="/static/', attributes) and body.strip() == "" for attributes, body in scripts)


def test_no_python_string_makes_inline_script_or_style():
    found = [
        f"{name(path)}:{number}"
        for path in app_python()
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if STYLE_ATTRIBUTE.search(line) and "<" in line
        or STYLE_ELEMENT.search(line) or SCRIPT_TAG.search(line) or EVENT_HANDLER.search(line)
    ]
    assert found == []


def test_the_pdf_templates_are_rendered_only_for_weasyprint():
    """The PDF templates are not held to the page rules' reasons: they never reach a browser.
    Only agreements/pdf.py renders them, and no page template includes or extends them."""
    renders = [name(path) for path in app_python() if re.search(r"""["'][a-z_]+/pdf/""", path.read_text())]
    embeds = [name(path) for path in templates() if re.search(r"""{%\s*(include|extends)\s+["'][a-z_]+/pdf/""",
                                                               path.read_text())
              and "/pdf/" not in name(path)]

    assert (renders, embeds) == (["agreements/pdf.py"], [])


# Third-party admin templates overridden in templates/ only to drop their inline style. Each test
# fails when the package's own template changes, so the copy is looked at again on an upgrade.

def package_template(package, relative: str) -> str:
    return (Path(package.__file__).parent / "templates" / relative).read_text()


def test_the_simple_history_table_is_the_packages_own_but_for_the_inline_style():
    ours = (ROOT / "templates/simple_history/object_history_list.html").read_text()
    theirs = package_template(simple_history, "simple_history/object_history_list.html")

    ours_without_comment = re.sub(r"\A{% comment %}.*?{% endcomment %}\n", "", ours, flags=re.S)
    unstyled = theirs.replace('<p class="paginator" style="border-top: 0">', '<p class="paginator">')
    assert ours_without_comment == unstyled
    assert "style=" in theirs  # the package still needs the override


def test_the_guardian_permissions_page_drops_only_the_packages_inline_style():
    guardian_page = package_template(guardian, "admin/guardian/model/obj_perms_manage.html")
    change_form = (Path(django.__file__).parent / "contrib/admin/templates/admin/change_form.html").read_text()
    ours = (ROOT / "templates/admin/guardian/model/obj_perms_manage.html").read_text()

    assert '{% block extrahead %}{{ block.super }}\n<style type="text/css">\n</style>\n{% endblock %}' in guardian_page
    assert ("{% block extrahead %}{{ block.super }}\n<script src=\"{% url 'admin:jsi18n' %}\"></script>\n{{ media }}\n"
            "{% endblock %}") in change_form
    assert ("{% block extrahead %}\n<script src=\"{% url 'admin:jsi18n' %}\" " + NONCE + "></script>\n{{ media }}\n"
            "{% endblock %}") in ours
