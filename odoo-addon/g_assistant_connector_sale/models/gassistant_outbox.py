# Copyright 2026 G-Assistant
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Declares the order events so settings and the event filter know them."""

from odoo import api, models

ORDER_EVENTS = ["order.quotation_sent", "order.confirmed", "order.cancelled"]


class GassistantOutbox(models.Model):
    _inherit = "gassistant.outbox"

    @api.model
    def _gassistant_events(self):
        return super()._gassistant_events() + ORDER_EVENTS
