# Copyright 2026 G-Assistant
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Sent deliveries (their bodies hold emails and phones) do not outlive their use."""

from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo.tests.common import tagged
from odoo.tools import mute_logger

from odoo.addons.base.models.ir_autovacuum import is_autovacuum

from ..models.gassistant_outbox import PARAM_PREFIX
from .common import GassistantCase

T0 = datetime(2026, 1, 8, 10, 30, 0)
OUTBOX_LOG = "odoo.addons.g_assistant_connector.models.gassistant_outbox"


@tagged("post_install", "-at_install")
class TestHousekeeping(GassistantCase):
    @mute_logger(OUTBOX_LOG)  # the refusal warning is expected
    def queue_rows(self):
        """One sent, one failed and one pending row, all of T0."""
        with freeze_time(T0):
            self.create_lead(name="sent", email_from="a@example.sa")
            self.commit()
            self.hub.queue(400)
            self.create_lead(name="failed")
            self.commit()
            self.hub.queue(503)
            self.create_lead(name="pending")
            self.commit()
        return self.new_rows()

    def test_sent_rows_older_than_30_days_are_removed_every_day(self):
        # Odoo's daily autovacuum job calls it (its runner commits: not in a test)
        self.assertTrue(is_autovacuum(type(self.Outbox)._gc_sent_deliveries))
        sent, failed, pending = self.queue_rows()
        self.assertEqual(
            (sent.state, failed.state, pending.state), ("sent", "failed", "pending")
        )
        with freeze_time(T0 + timedelta(days=29, hours=23)):
            self.Outbox._gc_sent_deliveries()
        self.assertTrue(sent.exists())
        with freeze_time(T0 + timedelta(days=30, minutes=1)):
            self.Outbox._gc_sent_deliveries()
        self.assertFalse(sent.exists())
        self.assertEqual((pending | failed).exists(), pending | failed)

    def test_the_age_is_configurable(self):
        self.env["res.config.settings"].create(
            {"gassistant_keep_sent_days": 7}
        ).execute()
        self.assertEqual(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(PARAM_PREFIX + "keep_sent_days"),
            "7",
        )
        sent, _failed, _pending = self.queue_rows()
        with freeze_time(T0 + timedelta(days=7, minutes=1)):
            self.Outbox._gc_sent_deliveries()
        self.assertFalse(sent.exists())
