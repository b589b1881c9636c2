"""Where the addons are, and small readers shared by the CI checks (stdlib only, no odoo)."""

import ast
import importlib.util
import pathlib
import sys

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


def load_tools():
    """Load g_assistant_connector/tools as a package by path, without the addon package.

    Importing the addon package would import odoo; its tools are pure (their modules
    only import each other), so CI can test the signer, the retry policy, the delivery
    plan and the message kinds directly.
    """
    folder = ROOT / "g_assistant_connector" / "tools"
    name = "gassistant_tools"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(
        name, folder / "__init__.py", submodule_search_locations=[str(folder)]
    )
    package = importlib.util.module_from_spec(spec)
    sys.modules[name] = package
    spec.loader.exec_module(package)
    return package


def load_readme_builder():
    """odoo-addon/oca_readme.py, which builds README.rst from the readme/ fragments."""
    spec = importlib.util.spec_from_file_location("oca_readme", ROOT / "oca_readme.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
