#!/usr/bin/env python3
"""Copy the front-end assets ISA Portal needs from node_modules into static/vendor/.

Run from the repository root after installing the locked npm packages:

    npm ci
    python scripts/build_assets.py

Result (static/vendor/ is gitignored and rebuilt from scratch on every run):

    static/vendor/govuk/govuk-frontend.min.css
    static/vendor/govuk/govuk-frontend.min.js      (ES module, exports initAll)
    static/vendor/govuk/assets/{fonts,images,manifest.json}
    static/vendor/moj/moj-frontend.min.css
    static/vendor/moj/moj-frontend.min.js          (ES module, exports initAll)
    static/vendor/moj/assets/images/...

Why the CSS is rewritten rather than copied verbatim:

* The packages' CSS refers to fonts and images as ``url(/assets/...)``
  (site-root absolute). Served from /static/vendor/<pkg>/ those would 404, so
  they become ``url(assets/...)``, relative to the stylesheet, which also lets
  Django's ManifestStaticFilesStorage hash them.
* ``sourceMappingURL`` comments are stripped: ManifestStaticFilesStorage
  follows them and collectstatic fails if the .map file is absent.

Every url() left in the copied CSS is checked to resolve to a copied file; the
script exits non-zero otherwise.

The GDS Transport web font is left out by default (its @font-face rules and font
files); text falls back to Arial. GDS Transport is licensed for services on the
GOV.UK domain only, and ISA Portal is run by councils and their partners on their own
domains. ``--gds-transport`` keeps it, for a deployment on GOV.UK.

Standard library only.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from pathlib import Path
from typing import NoReturn

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VENDOR = ROOT / "static" / "vendor"

GOVUK_SRC = NODE_MODULES / "govuk-frontend" / "dist" / "govuk"
MOJ_SRC = NODE_MODULES / "@ministryofjustice" / "frontend" / "moj"

# url( ["']? /assets/ ...  ->  url( ["']? assets/ ...
ABSOLUTE_ASSET_URL = re.compile(r"""url\(\s*(['"]?)/assets/""")
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)""")
CSS_SOURCEMAP = re.compile(r"\n?/\*#\s*sourceMappingURL=[^*]*\*/\s*")
JS_SOURCEMAP = re.compile(r"\n?//#\s*sourceMappingURL=\S*\s*")
GDS_TRANSPORT_FONT_FACE = re.compile(r"@font-face\{font-family:\s*[\"']?GDS Transport[\"']?;[^}]*\}")


def fail(message: str) -> NoReturn:
    print(f"build_assets: error: {message}", file=sys.stderr)
    sys.exit(1)


def package_version(package_dir: Path) -> str:
    with open(package_dir / "package.json", encoding="utf-8") as f:
        return json.load(f)["version"]


def read_text(path: Path) -> str:
    # newline="" keeps the file's own line endings untouched.
    with open(path, encoding="utf-8", newline="") as f:
        return f.read()


def write_text(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def copy_css(src: Path, dest: Path, *, drop_gds_transport: bool = False) -> None:
    css = read_text(src)
    if drop_gds_transport:
        css, removed = GDS_TRANSPORT_FONT_FACE.subn("", css)
        if removed == 0 and "GDS Transport" in css and "@font-face" in css:
            fail(f"{src}: could not find the GDS Transport @font-face rules to remove")
    css = ABSOLUTE_ASSET_URL.sub(r"url(\1assets/", css)
    css = CSS_SOURCEMAP.sub("\n", css).rstrip() + "\n"
    if "sourceMappingURL" in css:
        fail(f"{src}: a sourceMappingURL comment survived stripping")
    write_text(dest, css)


def copy_js(src: Path, dest: Path) -> None:
    js = read_text(src)
    js = JS_SOURCEMAP.sub("\n", js).rstrip() + "\n"
    if "sourceMappingURL" in js:
        fail(f"{src}: a sourceMappingURL comment survived stripping")
    write_text(dest, js)


def copy_tree(src: Path, dest: Path) -> None:
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("*.map", ".DS_Store"))


def copy_file(src: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(src, dest)


def check_css_urls(css_file: Path) -> int:
    """Fail unless every url() in css_file points at a file that exists. Returns the count."""
    checked = 0
    for match in CSS_URL.finditer(read_text(css_file)):
        url = match.group(2).strip()
        if url.startswith(("data:", "#")):
            continue
        if url.startswith("/") or "://" in url:
            fail(f"{css_file.relative_to(ROOT)}: url({url}) is not relative")
        target = (css_file.parent / url.split("?", 1)[0].split("#", 1)[0]).resolve()
        if not target.is_file():
            fail(f"{css_file.relative_to(ROOT)}: url({url}) does not resolve to a file")
        checked += 1
    return checked


def build(*, drop_gds_transport: bool) -> None:
    missing = [p for p in (GOVUK_SRC, MOJ_SRC) if not p.is_dir()]
    if missing:
        fail(
            "node_modules is missing or incomplete (no "
            + ", ".join(str(p.relative_to(ROOT)) for p in missing)
            + "). Run `npm ci` in the repository root first."
        )

    # Idempotent: wipe and recreate. Guard against ever deleting anything else.
    if VENDOR.exists():
        if VENDOR.resolve() != (ROOT / "static" / "vendor").resolve():
            fail(f"refusing to delete unexpected path {VENDOR}")
        shutil.rmtree(VENDOR)
    VENDOR.mkdir(parents=True)

    # GOV.UK Frontend
    govuk = VENDOR / "govuk"
    copy_css(
        GOVUK_SRC / "govuk-frontend.min.css",
        govuk / "govuk-frontend.min.css",
        drop_gds_transport=drop_gds_transport,
    )
    copy_js(GOVUK_SRC / "govuk-frontend.min.js", govuk / "govuk-frontend.min.js")
    if not drop_gds_transport:
        copy_tree(GOVUK_SRC / "assets" / "fonts", govuk / "assets" / "fonts")
    copy_tree(GOVUK_SRC / "assets" / "images", govuk / "assets" / "images")
    if (GOVUK_SRC / "assets" / "manifest.json").is_file():
        copy_file(GOVUK_SRC / "assets" / "manifest.json", govuk / "assets" / "manifest.json")
    if (GOVUK_SRC / "assets" / "rebrand").is_dir():  # only in some 5.x releases
        copy_tree(GOVUK_SRC / "assets" / "rebrand", govuk / "assets" / "rebrand")

    # MOJ Frontend
    moj = VENDOR / "moj"
    copy_css(MOJ_SRC / "moj-frontend.min.css", moj / "moj-frontend.min.css")
    copy_js(MOJ_SRC / "moj-frontend.min.js", moj / "moj-frontend.min.js")
    copy_tree(MOJ_SRC / "assets", moj / "assets")

    urls = check_css_urls(govuk / "govuk-frontend.min.css") + check_css_urls(moj / "moj-frontend.min.css")
    files = sum(1 for p in VENDOR.rglob("*") if p.is_file())
    print(
        f"build_assets: govuk-frontend {package_version(GOVUK_SRC.parent.parent)}, "
        f"@ministryofjustice/frontend {package_version(MOJ_SRC.parent)}: "
        f"{files} files in {VENDOR.relative_to(ROOT)}/, {urls} CSS url() references checked"
        + (" (GDS Transport left out)" if drop_gds_transport else "")
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument(
        "--gds-transport",
        action="store_true",
        help="keep the GDS Transport font (only for a service on the GOV.UK domain)",
    )
    args = parser.parse_args(argv)
    build(drop_gds_transport=not args.gds_transport)


if __name__ == "__main__":
    main()
