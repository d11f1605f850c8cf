"""static/css/app.css parses as written: a block left open (a merge lost the two braces that closed
the no-JavaScript table rule) swallows every rule after it, and the browser says nothing."""

import re
from pathlib import Path

from django.conf import settings


def test_every_block_of_the_stylesheet_is_closed():
    text = re.sub(r"/\*.*?\*/", "", (Path(settings.BASE_DIR) / "static" / "css" / "app.css").read_text(), flags=re.S)
    depth = 0
    for line_number, line in enumerate(text.splitlines(), start=1):
        depth += line.count("{") - line.count("}")
        assert depth >= 0, f"a brace closes nothing at line {line_number}"
        # A rule starts only at the top level or inside an at-rule: never inside a declaration block.
        if re.match(r"^\S.*\{\s*$", line) and not line.startswith("@"):
            assert depth == 1, f"line {line_number} starts a rule inside an open block: {line.strip()}"
    assert depth == 0
