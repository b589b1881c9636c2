# Copyright 2026 G-Assistant
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""sale.order: announce quotation sent / confirmed / cancelled to the hub.

Must never send anything itself: it only queues through gassistant.outbox, which
defers everything to the commit.
"""

from odoo import api, models

from odoo.addons.g_assistant_connector.models.gassistant_outbox import (
    iso_utc,
    named_ref,
    user_ref,
)

STATE_EVENTS = {
    "sent": "order.quotation_sent",
    "sale": "order.confirmed",
    "cancel": "order.cancelled",
}


class SaleOrder(models.Model):
    _inherit = "sale.order"

    @api.model_create_multi
    def create(self, vals_list):
        orders = super().create(vals_list)
        for order in orders.filtered(lambda o: o.state in STATE_EVENTS):
            self.env["gassistant.outbox"]._gassistant_notify(
                order, STATE_EVENTS[order.state], ["state"]
            )
        return orders

    def write(self, vals):
        if "state" not in vals:
            return super().write(vals)
        before = {order.id: order.state for order in self}
        result = super().write(vals)
        outbox = self.env["gassistant.outbox"]
        for order in self:
            if order.state != before.get(order.id) and order.state in STATE_EVENTS:
                outbox._gassistant_notify(order, STATE_EVENTS[order.state], ["state"])
        return result

    def _gassistant_webhook_record(self):
        """The ``record`` object of an order webhook (README "Payload contract")."""
        self.ensure_one()
        return {
            "id": self.id,
            "name": self.name or "",
            "state": self.state,
            "partner": named_ref(self.partner_id),
            "amount_untaxed": float(self.amount_untaxed or 0.0),
            "amount_total": float(self.amount_total or 0.0),
            "currency": self.currency_id.name or None,
            "opportunity_id": self.opportunity_id.id or None,
            "user": user_ref(self.user_id),
            "team": named_ref(self.team_id),
            "validity_date": self.validity_date.isoformat()
            if self.validity_date
            else None,
            "date_order": iso_utc(self.date_order),
            "create_date": iso_utc(self.create_date),
            "write_date": iso_utc(self.write_date),
        }
