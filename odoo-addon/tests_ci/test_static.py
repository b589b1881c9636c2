"""Static checks of the Odoo addons that run in CI without Odoo (python3 stdlib only).

They catch what would make Odoo refuse to install the module: a syntax error, a
broken XML file, a manifest listing a missing file, a malformed access CSV.
"""

import csv
import re
import struct
import unittest
import xml.etree.ElementTree as ET

from ._addons import (
    ADDONS,
    ODOO_MODELS,
    ROOT,
    defined_models,
    load_readme_builder,
    manifest,
    python_files,
)

REQUIRED_KEYS = {
    "name",
    "summary",
    "version",
    "category",
    "author",
    "website",
    "license",
    "depends",
    "data",
    "installable",
}
VERSION = re.compile(r"^17\.0\.\d+\.\d+\.\d+$")
ACCESS_HEADER = [
    "id",
    "name",
    "model_id:id",
    "group_id:id",
    "perm_read",
    "perm_write",
    "perm_create",
    "perm_unlink",
]


class TestAddonsAreThere(unittest.TestCase):
    def test_both_modules_exist(self):
        self.assertEqual(
            [a.name for a in ADDONS],
            ["g_assistant_connector", "g_assistant_connector_sale"],
        )


class TestPythonFiles(unittest.TestCase):
    def test_every_python_file_compiles(self):
        files = list(ROOT.rglob("*.py"))
        self.assertGreater(len(files), 10)
        for path in files:
            with self.subTest(path=str(path.relative_to(ROOT))):
                compile(path.read_text(encoding="utf-8"), str(path), "exec")

    def test_every_module_file_is_imported_by_its_package(self):
        # A model file missing from __init__.py is silently never loaded by Odoo.
        for addon in ADDONS:
            for package in ("controllers", "models", "tests", "tools"):
                folder = addon / package
                if not folder.is_dir():
                    continue
                init = (folder / "__init__.py").read_text(encoding="utf-8")
                for path in folder.glob("*.py"):
                    if path.name in ("__init__.py", "common.py"):
                        continue
                    with self.subTest(path=str(path.relative_to(ROOT))):
                        self.assertIn("import %s\n" % path.stem, init)

    def test_pure_helpers_never_import_odoo(self):
        # CI loads tools/ without Odoo (test_delivery_plan, test_signature_vectors)
        files = sorted((ROOT / "g_assistant_connector" / "tools").glob("*.py"))
        self.assertGreaterEqual(len(files), 5)
        for path in files:
            with self.subTest(name=path.name):
                source = path.read_text(encoding="utf-8")
                self.assertNotRegex(source, r"(?m)^\s*(from|import)\s+odoo")

    def test_no_thread_is_started(self):
        # Delivery runs in the cron woken at commit, never in a thread of its own
        # (the tests import threading only to prove that).
        for addon in ADDONS:
            for path in python_files(addon):
                if "tests" in path.relative_to(addon).parts:
                    continue
                with self.subTest(path=str(path.relative_to(ROOT))):
                    self.assertNotRegex(
                        path.read_text(encoding="utf-8"),
                        r"(?m)^\s*(import threading|from threading )",
                    )


class TestXmlFiles(unittest.TestCase):
    def test_every_xml_file_parses_with_an_odoo_root(self):
        files = list(ROOT.glob("*/**/*.xml"))
        self.assertGreater(len(files), 4)
        for path in files:
            with self.subTest(path=str(path.relative_to(ROOT))):
                root = ET.parse(path).getroot()
                self.assertEqual(root.tag, "odoo")

    def test_xml_records_have_unique_ids_per_module(self):
        for addon in ADDONS:
            seen = {}
            for path in addon.rglob("*.xml"):
                for node in ET.parse(path).getroot().iter():
                    if node.tag in ("record", "menuitem", "template") and node.get(
                        "id"
                    ):
                        with self.subTest(id=node.get("id")):
                            self.assertNotIn(node.get("id"), seen)
                        seen[node.get("id")] = path


class TestManifests(unittest.TestCase):
    def test_manifests_have_the_required_keys_and_version(self):
        for addon in ADDONS:
            with self.subTest(addon=addon.name):
                data = manifest(addon)
                self.assertLessEqual(REQUIRED_KEYS, set(data))
                self.assertRegex(data["version"], VERSION)
                self.assertEqual(data["license"], "LGPL-3")
                self.assertTrue(data["installable"])

    def test_data_files_exist_and_none_is_forgotten(self):
        for addon in ADDONS:
            listed = manifest(addon)["data"]
            with self.subTest(addon=addon.name):
                self.assertEqual(len(listed), len(set(listed)))
                for name in listed:
                    self.assertTrue((addon / name).is_file(), name)
                on_disk = {
                    str(p.relative_to(addon))
                    for folder in ("data", "security", "views")
                    for p in (addon / folder).glob("*")
                    if p.suffix in (".xml", ".csv")
                }
                self.assertEqual(on_disk, set(listed))

    def test_access_csv_is_loaded_before_views(self):
        data = manifest(ROOT / "g_assistant_connector")["data"]
        self.assertEqual(data[0], "security/ir.model.access.csv")

    def test_migrations_are_named_after_a_version_not_above_the_manifest(self):
        for addon in ADDONS:
            version = manifest(addon)["version"]
            folder = addon / "migrations"
            if not folder.is_dir():
                continue
            for step in folder.iterdir():
                with self.subTest(step=str(step.relative_to(ROOT))):
                    self.assertRegex(step.name, VERSION)
                    self.assertLessEqual(_version(step.name), _version(version))
                    scripts = [p.name for p in step.glob("*.py")]
                    self.assertTrue(scripts)
                    for name in scripts:
                        self.assertRegex(name, r"^(pre|post|end)-[a-z_]+\.py$")

    def test_sale_part_is_a_separate_auto_installed_module(self):
        core = manifest(ROOT / "g_assistant_connector")
        sale = manifest(ROOT / "g_assistant_connector_sale")
        self.assertNotIn("sale", core["depends"])
        self.assertNotIn("sale_crm", core["depends"])
        self.assertIn("g_assistant_connector", sale["depends"])
        self.assertTrue(sale["auto_install"])


def _version(text):
    return tuple(int(part) for part in text.split("."))


class TestOcaLayout(unittest.TestCase):
    def test_each_module_has_an_icon_an_index_and_a_readme(self):
        for addon in ADDONS:
            with self.subTest(addon=addon.name):
                icon = (addon / "static" / "description" / "icon.png").read_bytes()
                self.assertEqual(icon[:8], b"\x89PNG\r\n\x1a\n")
                width, height = struct.unpack(">II", icon[16:24])  # IHDR
                self.assertEqual((width, height), (128, 128))
                index = (addon / "static" / "description" / "index.html").read_text(
                    encoding="utf-8"
                )
                self.assertIn("<html", index)
                readme = (addon / "README.rst").read_text(encoding="utf-8")
                self.assertIn(manifest(addon)["name"], index)
                for fragment in ("DESCRIPTION.md", "USAGE.md", "CONTRIBUTORS.md"):
                    self.assertTrue((addon / "readme" / fragment).is_file(), fragment)
                for section in ("Usage", "Bug Tracker", "Credits", "Contributors"):
                    self.assertIn("\n%s\n" % section, readme)

    def test_readme_is_generated_from_the_fragments(self):
        builder = load_readme_builder()
        for addon in ADDONS:
            with self.subTest(addon=addon.name):
                self.assertEqual(
                    (addon / "README.rst").read_text(encoding="utf-8"),
                    builder.build_readme(addon),
                    "README.rst is stale: run python3 odoo-addon/oca_readme.py",
                )


class TestAccessRules(unittest.TestCase):
    def test_access_csv_is_well_formed_and_names_known_models(self):
        known = set(ODOO_MODELS)
        for addon in ADDONS:
            created, extended = defined_models(addon)
            known |= created | extended
        for addon in ADDONS:
            path = addon / "security" / "ir.model.access.csv"
            created, _extended = defined_models(addon)
            if not path.exists():
                self.assertFalse(
                    created, "%s creates models but has no access CSV" % addon.name
                )
                continue
            with path.open(newline="", encoding="utf-8") as handle:
                rows = list(csv.reader(handle))
            self.assertEqual(rows[0], ACCESS_HEADER)
            ids = set()
            covered = set()
            for row in rows[1:]:
                with self.subTest(row=row):
                    self.assertEqual(len(row), 8)
                    self.assertNotIn(row[0], ids)
                    ids.add(row[0])
                    self.assertTrue(row[2].startswith("model_"))
                    model_xmlid = row[2].split(".")[-1]
                    match = [
                        m
                        for m in known
                        if "model_" + m.replace(".", "_") == model_xmlid
                    ]
                    self.assertTrue(match, "unknown model %s" % row[2])
                    covered.update(match)
                    self.assertRegex(row[3], r"^([a-z_]+\.[a-z0-9_]+)?$")
                    for perm in row[4:]:
                        self.assertIn(perm, ("0", "1"))
            self.assertLessEqual(
                created, covered, "every new model needs an access rule"
            )

    def test_the_outbox_is_admin_only(self):
        path = ROOT / "g_assistant_connector" / "security" / "ir.model.access.csv"
        with path.open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        outbox = [r for r in rows if r["model_id:id"] == "model_gassistant_outbox"]
        self.assertEqual({r["group_id:id"] for r in outbox}, {"base.group_system"})


def po_entries(text):
    """(msgid, msgstr) pairs of a .po file; multi-line strings joined."""
    entries, current, key = [], {}, None
    for line in text.splitlines() + [""]:
        line = line.strip()
        if line.startswith(("msgid ", "msgstr ")):
            key, _sep, value = line.partition(" ")
            if key == "msgid" and current:
                entries.append((current.get("msgid", ""), current.get("msgstr", "")))
                current = {}
            current[key] = value[1:-1]
        elif line.startswith('"') and key:
            current[key] += line[1:-1]
        else:
            key = None
    if current:
        entries.append((current.get("msgid", ""), current.get("msgstr", "")))
    return entries


class TestTranslations(unittest.TestCase):
    def test_arabic_po_files_are_complete(self):
        for addon in ADDONS:
            path = addon / "i18n" / "ar.po"
            with self.subTest(addon=addon.name):
                text = path.read_text(encoding="utf-8")
                self.assertIn('"Language: ar\\n"', text)
                entries = po_entries(text)
                self.assertGreater(len(entries), 5)
                untranslated = [i for i, s in entries if i and not s]
                self.assertEqual(untranslated, [])
                if addon.name == "g_assistant_connector":
                    self.assertIn(("G-Assistant Score", "تقييم G-Assistant"), entries)


class TestPythonSources(unittest.TestCase):
    def test_no_print_and_no_cr_commit(self):
        for addon in ADDONS:
            for path in python_files(addon):
                source = path.read_text(encoding="utf-8")
                with self.subTest(path=str(path.relative_to(ROOT))):
                    self.assertNotRegex(source, r"(?m)^\s*print\(")
                    self.assertNotIn("cr.commit()", source)


if __name__ == "__main__":
    unittest.main()
