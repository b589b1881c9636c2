# Copyright 2026 G-Assistant
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Which changes make which event, and that nothing leaves before the commit."""

import threading
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.tests.common import tagged

from ..models.gassistant_outbox import PARAM_PREFIX, GassistantOutbox
from ..tools import signature
from .common import HUB_URL, SECRET, GassistantCase


@tagged("post_install", "-at_install")
class TestDelivery(GassistantCase):
    def setUp(self):
        super().setUp()
        self.lead = self.create_lead(name="Lead A")
        self.commit()
        self.forget_past()

    def events(self):
        return [p["event"] for p in self.hub.payloads()]

    def test_nothing_is_written_or_sent_before_commit(self):
        self.lead.stage_id = self.stage_qualified
        self.env.flush_all()  # the ORM wrote the lead, the transaction is still open
        self.assertFalse(self.new_rows())
        self.assertFalse(self.new_triggers())
        self.assertFalse(self.hub.requests)
        self.commit(deliver=False)  # precommit: the row and the trigger join it
        row = self.new_rows()
        self.assertEqual(row.state, "pending")
        self.assertEqual(len(self.new_triggers()), 1)
        self.assertFalse(self.hub.requests)
        self.Outbox._cron_gassistant_deliver()  # the woken cron sends it
        self.assertEqual(self.events(), ["lead.stage_changed"])
        self.assertEqual(row.state, "sent")

    def test_a_commit_wakes_the_delivery_cron_now_and_starts_no_thread(self):
        def no_thread(*args, **kwargs):
            raise AssertionError("the connector must not start a thread")

        with patch.object(threading.Thread, "start", no_thread), freeze_time(
            "2026-01-08 10:30:00"
        ):
            self.lead.stage_id = self.stage_qualified
            self.commit(deliver=False)
            (trigger,) = self.new_triggers()
            # due at once: Odoo wakes its cron workers when the transaction commits
            self.assertEqual(trigger.call_at, fields.Datetime.now())
            self.Outbox._cron_gassistant_deliver()
        self.assertEqual(self.events(), ["lead.stage_changed"])

    @freeze_time("2026-01-08 10:30:00")
    def test_sent_request_is_signed_over_the_exact_body(self):
        self.lead.stage_id = self.stage_qualified
        self.commit()
        (request,) = self.hub.requests
        self.assertEqual(request["url"], HUB_URL)
        self.assertEqual(request["timeout"], 7)
        header = request["headers"][signature.SIGNATURE_HEADER]
        self.assertTrue(header.startswith("t=1767868200,v1="))
        self.assertEqual(header, signature.sign(SECRET, 1767868200, request["body"]))
        self.assertEqual(
            request["headers"]["Content-Type"], "application/json; charset=utf-8"
        )

    def test_a_rolled_back_change_sends_nothing(self):
        config = self.Outbox._gassistant_config()
        with patch.object(
            GassistantOutbox, "_gassistant_config", lambda self: config
        ), self.registry.cursor() as cr:
            env = self.env(cr=cr)
            # no stage of this test: its rows are invisible to another transaction
            env["crm.lead"].create({"name": "doomed"})
            self.assertIn("gassistant.pending", cr.precommit.data)  # it was queued
            cr.rollback()
            self.assertFalse(cr.precommit.data)
            self.assertFalse(cr.postcommit.data)  # no cron wake-up either
        self.assertFalse(self.new_rows())
        self.Outbox._cron_gassistant_deliver()
        self.assertFalse(self.hub.requests)

    def test_stage_change_to_a_won_stage_is_lead_won(self):
        self.lead.action_set_won()
        self.commit()
        self.assertEqual(self.events(), ["lead.won"])
        self.assertEqual(self.hub.payloads()[0]["record"]["won_status"], "won")

    def test_marking_lost_is_one_lead_lost_despite_two_writes(self):
        self.lead.action_set_lost()
        self.commit()
        self.assertEqual(self.events(), ["lead.lost"])
        record = self.hub.payloads()[0]["record"]
        self.assertEqual((record["active"], record["won_status"]), (False, "lost"))
        self.assertIn("active", self.hub.payloads()[0]["changed"])

    def test_salesperson_probability_and_revenue_changes_are_lead_updated(self):
        self.lead.write({"user_id": self.env.ref("base.user_admin").id})
        self.commit()
        self.lead.write({"probability": 35, "expected_revenue": 1200})
        self.commit()
        self.assertEqual(self.events(), ["lead.updated", "lead.updated"])
        self.assertEqual(
            [p["changed"] for p in self.hub.payloads()],
            [["user_id"], ["expected_revenue", "probability"]],
        )

    def test_other_fields_and_unchanged_values_send_nothing(self):
        self.lead.write({"description": "<p>note</p>", "priority": "2"})
        self.lead.write({"stage_id": self.stage_new.id})  # same stage again
        self.commit()
        self.assertFalse(self.hub.requests)
        self.assertFalse(self.new_rows())

    def test_create_then_changes_in_one_transaction_is_one_lead_created(self):
        lead = self.create_lead(name="Lead B")
        lead.stage_id = self.stage_qualified
        lead.probability = 80
        self.commit()
        self.assertEqual(self.events(), ["lead.created"])
        self.assertEqual(self.hub.payloads()[0]["changed"], [])
        record = self.hub.payloads()[0]["record"]
        self.assertEqual(record["stage"]["id"], self.stage_qualified.id)
        self.assertEqual(record["probability"], 80.0)

    def test_one_event_per_lead_in_a_batch_write(self):
        other = self.create_lead(name="Lead C")
        self.commit()
        self.hub.requests.clear()
        (self.lead | other).write({"stage_id": self.stage_qualified.id})
        self.commit()
        self.assertEqual(
            sorted(p["record"]["id"] for p in self.hub.payloads()),
            sorted([self.lead.id, other.id]),
        )

    def test_disabled_event_or_connector_sends_nothing(self):
        set_param = self.env["ir.config_parameter"].sudo().set_param
        set_param(PARAM_PREFIX + "events", "lead.created,lead.won")
        self.lead.stage_id = self.stage_qualified
        self.commit()
        self.assertFalse(self.hub.requests)
        set_param(PARAM_PREFIX + "events", False)  # back to "all"
        set_param(PARAM_PREFIX + "enabled", False)
        self.create_lead(name="Lead D")
        self.commit()
        self.assertFalse(self.hub.requests)
        self.assertFalse(self.new_rows())

    def test_context_flag_skips_the_webhook(self):
        self.lead.with_context(
            gassistant_skip_webhook=True
        ).stage_id = self.stage_qualified
        self.commit()
        self.assertFalse(self.hub.requests)
