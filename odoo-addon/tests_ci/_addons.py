"""Where the addons are, and small readers shared by the CI checks (stdlib only, no odoo)."""

import ast
import importlib.util
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent
PROJECT = ROOT.parent
ADDONS = sorted(p.parent for p in ROOT.glob("*/__manifest__.py"))
VECTORS = PROJECT / "libs" / "contracts" / "test-vectors" / "gassistant-signature.json"

# Models of Odoo itself that our access rules or inherits may name (17.0 names).
ODOO_MODELS = {
    "crm.lead",
    "crm.stage",
    "crm.team",
    "res.config.settings",
    "res.partner",
    "res.users",
    "sale.order",
    "ir.config_parameter",
    "ir.cron",
}


def manifest(addon):
    return ast.literal_eval((addon / "__manifest__.py").read_text(encoding="utf-8"))


def python_files(addon):
    return sorted(addon.rglob("*.py"))


def defined_models(addon):
    """Model names an addon creates (``_name = "..."``) or extends (``_inherit``)."""
    created, extended = set(), set()
    for path in python_files(addon):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            attrs = {}
            for stmt in node.body:
                if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
                    target = stmt.targets[0]
                    if isinstance(target, ast.Name) and isinstance(
                        stmt.value, ast.Constant
                    ):
                        attrs[target.id] = stmt.value.value
            if "_name" in attrs and attrs.get("_inherit") != attrs["_name"]:
                created.add(attrs["_name"])
            elif isinstance(attrs.get("_inherit"), str):
                extended.add(attrs["_inherit"])
    return created, extended


def load_signature_module():
    """Load tools/signature.py by path: importing the addon package would import odoo."""
    path = ROOT / "g_assistant_connector" / "tools" / "signature.py"
    spec = importlib.util.spec_from_file_location("gassistant_signature", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_backoff_module():
    path = ROOT / "g_assistant_connector" / "tools" / "backoff.py"
    spec = importlib.util.spec_from_file_location("gassistant_backoff", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
