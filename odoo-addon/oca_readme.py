"""Build each module's README.rst (and static/description/index.html) from readme/*.md.

The OCA layout: the readme/ fragments are the source, README.rst is generated from them
(OCA's own tool, oca-gen-addon-readme, cannot be installed here: this does the same for
the Markdown these fragments use). tests_ci checks that README.rst is up to date.

    python3 oca_readme.py          # rewrite README.rst, and index.html if docutils exists

README.rst needs only the standard library; index.html needs docutils (Odoo depends on
it, so any machine that runs Odoo has it).
"""

import ast
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent

# Fragment → section title, in OCA's order (None: the text under the module title).
SECTIONS = [
    ("DESCRIPTION.md", None),
    ("INSTALL.md", "Installation"),
    ("CONFIGURE.md", "Configuration"),
    ("USAGE.md", "Usage"),
    ("ROADMAP.md", "Known issues / Roadmap"),
    ("HISTORY.md", "Changelog"),
]
BUG_TRACKER = (
    "Report bugs in the G-Assistant Lead Hub repository's issue tracker; include the\n"
    "delivery id and the last error shown under Webhook Deliveries (never the secret).\n"
)
STATUS_COLOUR = {"Alpha": "red", "Beta": "yellow", "Production/Stable": "green"}


def _inline(text):
    """Markdown inline markup → reStructuredText (code, links; bold/italic are equal)."""
    out = []
    for index, part in enumerate(re.split(r"(`[^`]+`)", text)):
        if index % 2:
            out.append("``%s``" % part[1:-1].replace("\\|", "|"))
            continue
        if index and part[:1].isalnum():
            part = "\\ " + part  # reST: a literal followed by a letter needs "\ "
        part = re.sub(r"\[([^\]]+)\]\(([^)]+)\)", r"`\1 <\2>`_", part)
        out.append(part.replace("\\|", "|"))
    return "".join(out)


def _table(lines):
    rows = []
    for line in lines:
        cells = re.split(r"(?<!\\)\|", line.strip().strip("|"))
        cells = [c.strip() for c in cells]
        if all(re.fullmatch(r":?-+:?", c) for c in cells):
            continue
        rows.append(cells)
    out = [".. list-table::", "   :header-rows: 1", ""]
    for row in rows:
        for position, cell in enumerate(row):
            out.append(("   * - " if position == 0 else "     - ") + _inline(cell))
    return out


def md_to_rst(markdown):
    """The Markdown of the fragments → reST: paragraphs, lists, tables, code, ##/### titles."""
    lines = markdown.rstrip("\n").split("\n")
    out, i = [], 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("```"):
            language = line[3:].strip()
            out += [".. code-block:: %s" % language if language else "::", ""]
            i += 1
            while not lines[i].startswith("```"):
                out.append(("   " + lines[i]) if lines[i] else "")
                i += 1
            out.append("")
            i += 1
        elif re.match(r"^#{2,3} ", line):
            title = line.lstrip("#").strip()
            out += [title, "-" * len(title), ""]
            i += 1
        elif line.startswith("|"):
            block = []
            while i < len(lines) and lines[i].startswith("|"):
                block.append(lines[i])
                i += 1
            out += _table(block) + [""]
        elif not line.strip():
            if out and out[-1] != "":
                out.append("")
            i += 1
        else:
            numbered = re.match(r"^\d+\. ", line)
            out.append(("#. " + line[numbered.end() :]) if numbered else line)
            out[-1] = _inline(out[-1])
            i += 1
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def _title(text, char, over=False):
    rule = char * len(text)
    return ([rule] if over else []) + [text, rule, ""]


def build_readme(addon):
    manifest = ast.literal_eval((addon / "__manifest__.py").read_text(encoding="utf-8"))
    fragments = addon / "readme"
    status = manifest.get("development_status", "Beta")
    series = manifest["version"].split(".")[0] + ".0"
    out = _title(manifest["name"], "=", over=True)
    out += [
        ".. ",
        "   !! This file was generated from the readme/ fragments (OCA layout) by !!",
        "   !! odoo-addon/oca_readme.py. Edit the fragments, not this file.       !!",
        "",
        ".. |badge1| image:: https://img.shields.io/badge/maturity-%s-%s.png"
        % (status.replace("/", "%2F"), STATUS_COLOUR.get(status, "yellow")),
        "    :target: https://odoo-community.org/page/development-status",
        "    :alt: %s" % status,
        ".. |badge2| image:: https://img.shields.io/badge/licence-LGPL--3-blue.png",
        "    :target: http://www.gnu.org/licenses/lgpl-3.0-standalone.html",
        "    :alt: License: LGPL-3",
        ".. |badge3| image:: https://img.shields.io/badge/odoo-%s-875A7B.png" % series,
        "    :alt: Odoo %s" % series,
        "",
        "|badge1| |badge2| |badge3|",
        "",
    ]
    for name, title in SECTIONS:
        path = fragments / name
        if not path.is_file():
            continue
        if title:
            out += _title(title, "=")
        out += md_to_rst(path.read_text(encoding="utf-8")).split("\n")
        if title is None:
            out += ["**Table of contents**", "", ".. contents::", "   :local:", ""]
    out += _title("Bug Tracker", "=") + BUG_TRACKER.split("\n")
    out += _title("Credits", "=") + _title("Authors", "-")
    out += ["* %s" % manifest["author"], ""]
    contributors = fragments / "CONTRIBUTORS.md"
    if contributors.is_file():
        out += _title("Contributors", "-")
        out += md_to_rst(contributors.read_text(encoding="utf-8")).split("\n")
    out += _title("Maintainers", "-")
    out += ["This module is maintained by %s." % manifest["author"]]
    text = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", text).rstrip("\n") + "\n"


def build_index_html(readme):
    from docutils.core import publish_string  # only for index.html

    return publish_string(
        readme,
        writer_name="html5",
        settings_overrides={"halt_level": 2, "output_encoding": "utf-8"},
    ).decode("utf-8")


def addons():
    return sorted(p.parent for p in ROOT.glob("*/__manifest__.py"))


def main():
    for addon in addons():
        readme = build_readme(addon)
        (addon / "README.rst").write_text(readme, encoding="utf-8")
        try:
            html = build_index_html(readme)
        except ImportError:
            print("no docutils: %s/static/description/index.html kept" % addon.name)
            continue
        description = addon / "static" / "description"
        description.mkdir(parents=True, exist_ok=True)
        (description / "index.html").write_text(html, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
