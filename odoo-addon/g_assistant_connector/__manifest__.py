# Copyright 2026 G-Assistant
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "G-Assistant Connector",
    "summary": "Signed, post-commit, retried webhooks from CRM leads to the "
    "G-Assistant Lead Hub, and the lead fields the hub writes",
    "version": "17.0.1.2.0",
    "category": "Sales/CRM",
    "website": "https://github.com/g-assistant/lead-hub",
    "author": "G-Assistant",
    "maintainers": ["g-assistant"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "application": False,
    "installable": True,
    "depends": ["crm"],
    "external_dependencies": {"python": ["requests"]},
    "data": [
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "views/crm_lead_views.xml",
        "views/gassistant_outbox_views.xml",
        "views/res_config_settings_views.xml",
    ],
}
