# Copyright 2026 G-Assistant
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Order event switches on the connector's settings (admin only)."""

from odoo import api, fields, models

ADMIN = "base.group_system"


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    gassistant_event_order_quotation_sent = fields.Boolean(
        string="Quotation sent", groups=ADMIN
    )
    gassistant_event_order_confirmed = fields.Boolean(
        string="Order confirmed", groups=ADMIN
    )
    gassistant_event_order_cancelled = fields.Boolean(
        string="Order cancelled", groups=ADMIN
    )

    @api.model
    def _gassistant_event_fields(self):
        res = super()._gassistant_event_fields()
        res.update(
            {
                "gassistant_event_order_quotation_sent": "order.quotation_sent",
                "gassistant_event_order_confirmed": "order.confirmed",
                "gassistant_event_order_cancelled": "order.cancelled",
            }
        )
        return res
