# Copyright 2026 G-Assistant
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""1.1.0 adds the lead.message_posted event: switch it on where an event list was saved.

Before 1.1.0 a saved list could not name it, so leaving it out was nobody's choice.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["gassistant.outbox"]._gassistant_enable_events(["lead.message_posted"])
