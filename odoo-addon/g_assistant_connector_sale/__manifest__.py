# Copyright 2026 G-Assistant
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "G-Assistant Connector - Sales",
    "summary": "Signed webhooks to the G-Assistant Lead Hub when a quotation is "
    "sent, confirmed or cancelled",
    "version": "17.0.1.0.0",
    "category": "Sales/Sales",
    "website": "https://github.com/g-assistant/lead-hub",
    "author": "G-Assistant",
    "maintainers": ["g-assistant"],
    "license": "LGPL-3",
    "development_status": "Beta",
    "installable": True,
    # sale_crm (auto-installed with crm + sale) provides sale.order.opportunity_id.
    "depends": ["g_assistant_connector", "sale_crm"],
    "auto_install": True,
    "data": [
        "views/res_config_settings_views.xml",
    ],
}
