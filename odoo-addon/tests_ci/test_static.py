"""Static checks of the Odoo addons that run in CI without Odoo (python3 stdlib only).

They catch what would make Odoo refuse to install the module: a syntax error, a
broken XML file, a manifest listing a missing file, a malformed access CSV.
"""

import csv
import re
import unittest
import xml.etree.ElementTree as ET

from ._addons import ADDONS, ODOO_MODELS, ROOT, defined_models, manifest, python_files

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
            for package in ("models", "tests", "tools"):
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
        for name in ("signature.py", "backoff.py"):
            source = (ROOT / "g_assistant_connector" / "tools" / name).read_text()
            with self.subTest(name=name):
                self.assertNotRegex(source, r"(?m)^\s*(from|import)\s+odoo")


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

    def test_sale_part_is_a_separate_auto_installed_module(self):
        core = manifest(ROOT / "g_assistant_connector")
        sale = manifest(ROOT / "g_assistant_connector_sale")
        self.assertNotIn("sale", core["depends"])
        self.assertNotIn("sale_crm", core["depends"])
        self.assertIn("g_assistant_connector", sale["depends"])
        self.assertTrue(sale["auto_install"])


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
        rows = list(csv.DictReader(path.open(encoding="utf-8")))
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
