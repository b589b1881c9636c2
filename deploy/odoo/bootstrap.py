# Runs inside `odoo shell -d <db>` (bootstrap.sh): `env` is the superuser environment of that database.
# Makes the database ready for the hub, idempotently:
#   1. the hub's user ODOO_USER (internal user; CRM "All Documents", may create contacts);
#   2. an API key of that user, written to API_KEY_FILE — kept while it still logs in, else replaced;
#   3. the admin password from ODOO_ADMIN_PASSWORD;
#   4. the connector's settings: enabled, webhook URL (the ingress), shared secret, hub user.
# Must never print the key, a password or the secret.
import os
import sys

KEY_NAME = "G-Assistant Lead Hub"
# RPC calls (XML-RPC / JSON-RPC) check API keys with this scope.
KEY_SCOPE = "rpc"
PARAM_PREFIX = "g_assistant_connector."
HUB_GROUPS = (
    "base.group_user",
    "base.group_partner_manager",
    "sales_team.group_sale_salesman_all_leads",
)


def setting(name):
    value = os.environ.get(name, "")
    if not value:
        sys.exit("odoo-bootstrap: %s is not set" % name)
    return value


def hub_user(login):
    users = env["res.users"].with_context(active_test=False)  # noqa: F821 (odoo shell)
    user = users.search([("login", "=", login)], limit=1)
    groups = [(4, env.ref(xmlid).id) for xmlid in HUB_GROUPS]  # noqa: F821
    if not user:
        user = users.with_context(no_reset_password=True).create(
            {"name": "G-Assistant Lead Hub", "login": login, "groups_id": groups}
        )
        print("odoo-bootstrap: created user %s (id %s)" % (login, user.id))
    else:
        user.write({"active": True, "groups_id": groups})
    return user


def read_key(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read().strip()
    except FileNotFoundError:
        return ""


def ensure_key(user, path):
    keys = env["res.users.apikeys"]  # noqa: F821
    current = read_key(path)
    if current and keys._check_credentials(scope=KEY_SCOPE, key=current) == user.id:
        print("odoo-bootstrap: the API key in %s still logs in; kept" % path)
        return
    # A key of ours that no file holds any more can never be used again: remove it.
    keys.sudo().search([("user_id", "=", user.id), ("name", "=", KEY_NAME)])._remove()
    key = keys.with_user(user)._generate(KEY_SCOPE, KEY_NAME)
    temporary = path + ".tmp"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    os.replace(temporary, path)
    print("odoo-bootstrap: wrote a new API key for %s to %s" % (user.login, path))


def configure_connector(user, url, secret):
    set_param = env["ir.config_parameter"].sudo().set_param  # noqa: F821
    set_param(PARAM_PREFIX + "enabled", "True")
    set_param(PARAM_PREFIX + "webhook_url", url)
    set_param(PARAM_PREFIX + "webhook_secret", secret)
    set_param(PARAM_PREFIX + "hub_user_id", str(user.id))
    print("odoo-bootstrap: connector sends webhooks to %s" % url)


user = hub_user(setting("ODOO_USER"))
ensure_key(user, setting("API_KEY_FILE"))
env.ref("base.user_admin").write({"password": setting("ODOO_ADMIN_PASSWORD")})  # noqa: F821
configure_connector(user, setting("HUB_WEBHOOK_URL"), setting("ODOO_WEBHOOK_SECRET"))
env.cr.commit()  # noqa: F821 (odoo shell rolls back what is not committed)
