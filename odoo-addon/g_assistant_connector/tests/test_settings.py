# Copyright 2026 G-Assistant
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Settings live in ir.config_parameter, only admins see them, the test button reports."""

import json

import requests
from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests.common import new_test_user, tagged

from ..models.gassistant_outbox import PARAM_PREFIX
from ..tools import signature
from .common import FakeResponse, GassistantCase


@tagged("post_install", "-at_install")
class TestSettings(GassistantCase):
    def settings(self, **vals):
        return self.env["res.config.settings"].create(vals)

    def test_values_are_stored_in_config_parameters(self):
        self.settings(
            gassistant_enabled=True,
            gassistant_webhook_url="https://hub.example.sa/webhooks/odoo",
            gassistant_webhook_secret="s3cr3t",
            gassistant_timeout=4,
            gassistant_event_lead_created=True,
            gassistant_event_lead_updated=False,
            gassistant_event_lead_stage_changed=True,
            gassistant_event_lead_won=True,
            gassistant_event_lead_lost=False,
            gassistant_event_lead_message_posted=False,
            gassistant_hub_user_id=self.env.ref("base.user_admin").id,
        ).execute()
        get = self.env["ir.config_parameter"].sudo().get_param
        self.assertEqual(
            get(PARAM_PREFIX + "webhook_url"), "https://hub.example.sa/webhooks/odoo"
        )
        self.assertEqual(get(PARAM_PREFIX + "webhook_secret"), "s3cr3t")
        self.assertEqual(get(PARAM_PREFIX + "timeout"), "4")
        self.assertEqual(
            get(PARAM_PREFIX + "hub_user_id"), str(self.env.ref("base.user_admin").id)
        )
        # (order.* events of g_assistant_connector_sale, when installed, stay on)
        self.assertTrue(
            get(PARAM_PREFIX + "events").startswith(
                "lead.created,lead.stage_changed,lead.won"
            )
        )
        lead_events = {
            e
            for e in self.Outbox._gassistant_config()["events"]
            if e.startswith("lead.")
        }
        self.assertEqual(
            lead_events, {"lead.created", "lead.stage_changed", "lead.won"}
        )
        # and the form shows them back
        form = self.settings()
        self.assertTrue(form.gassistant_event_lead_won)
        self.assertFalse(form.gassistant_event_lead_updated)

    def test_defaults_send_every_event_with_a_10s_timeout(self):
        set_param = self.env["ir.config_parameter"].sudo().set_param
        set_param(PARAM_PREFIX + "timeout", False)
        config = self.Outbox._gassistant_config()
        self.assertEqual(config["timeout"], 10)
        self.assertEqual(config["keep_sent_days"], 30)
        self.assertEqual(config["hub_user_id"], 0)
        self.assertIn("lead.message_posted", config["events"])
        self.assertEqual(config["events"], set(self.Outbox._gassistant_events()))
        self.assertTrue(self.settings().gassistant_event_lead_lost)

    def test_an_upgrade_switches_new_events_on_in_a_saved_list(self):
        # what migrations/17.0.1.1.0 does for lead.message_posted
        get = self.env["ir.config_parameter"].sudo().get_param
        set_param = self.env["ir.config_parameter"].sudo().set_param
        set_param(PARAM_PREFIX + "events", False)
        self.Outbox._gassistant_enable_events(["lead.message_posted"])
        self.assertFalse(get(PARAM_PREFIX + "events"))  # still "every event"
        set_param(PARAM_PREFIX + "events", "lead.created,lead.won")
        self.Outbox._gassistant_enable_events(["lead.message_posted"])
        self.Outbox._gassistant_enable_events(["lead.message_posted"])
        self.assertEqual(
            get(PARAM_PREFIX + "events"), "lead.created,lead.won,lead.message_posted"
        )

    def test_non_admins_cannot_read_the_secret_nor_the_outbox(self):
        manager = new_test_user(
            self.env, login="g-sales-manager", groups="sales_team.group_sale_manager"
        )
        self.assertNotIn(
            "gassistant_webhook_secret",
            self.env["res.config.settings"].with_user(manager).fields_get(),
        )
        with self.assertRaises(AccessError):
            self.env["ir.config_parameter"].with_user(manager).get_param(
                PARAM_PREFIX + "webhook_secret"
            )
        with self.assertRaises(AccessError):
            self.env["gassistant.outbox"].with_user(manager).search([])

    def test_a_salesman_change_still_queues_the_webhook(self):
        salesman = new_test_user(
            self.env, login="g-salesman", groups="sales_team.group_sale_salesman"
        )
        lead = self.create_lead(user_id=salesman.id)
        self.commit()
        lead.with_user(salesman).write({"probability": 42})
        self.commit()
        self.assertEqual(
            [p["event"] for p in self.hub.payloads()], ["lead.created", "lead.updated"]
        )

    @freeze_time("2026-01-08 10:30:00")
    def test_send_test_event_reports_success_with_a_signed_ping(self):
        form = self.settings(
            gassistant_webhook_url="https://hub.example.sa/webhooks/odoo",
            gassistant_webhook_secret="on-screen-secret",
        )
        action = form.action_gassistant_send_test()
        self.assertEqual(action["params"]["type"], "success")
        (request,) = self.hub.requests
        self.assertEqual(request["url"], "https://hub.example.sa/webhooks/odoo")
        self.assertEqual(json.loads(request["body"])["event"], "test.ping")
        self.assertEqual(
            request["headers"]["X-GAssistant-Signature"],
            signature.sign("on-screen-secret", 1767868200, request["body"]),
        )

    def test_send_test_event_reports_the_error(self):
        form = self.settings(
            gassistant_webhook_url="https://hub.example.sa/webhooks/odoo",
            gassistant_webhook_secret="wrong",
        )
        self.hub.queue(FakeResponse(401, '{"message":"invalid signature"}'))
        action = form.action_gassistant_send_test()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertIn("401", action["params"]["message"])
        self.assertIn("invalid signature", action["params"]["message"])
        self.hub.queue(requests.ConnectionError("refused"))
        action = form.action_gassistant_send_test()
        self.assertEqual(action["params"]["type"], "danger")
        self.assertIn("could not be reached", action["params"]["message"])
        form.gassistant_webhook_secret = False
        action = form.action_gassistant_send_test()
        self.assertEqual(action["params"]["type"], "warning")
        self.assertEqual(len(self.hub.requests), 2)
