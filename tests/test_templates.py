"""Every page's title is prefixed "Error: " by base.html when its form has errors (GOV.UK's
error-summary pattern); a page that adds it too says "Error: Error: …"."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TITLE = re.compile(r"{%\s*block title\s*%}(.*?){%\s*endblock", re.S)


def test_no_page_title_adds_its_own_error_prefix():
    doubled = [
        str(path.relative_to(ROOT))
        for path in ROOT.glob("*/templates/**/*.html")
        if not path.is_relative_to(ROOT / "node_modules")
        for title in TITLE.findall(path.read_text())
        if "Error:" in title
    ]
    assert doubled == []
