# Copyright 2026 G-Assistant
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""POST /gassistant/hub-ready: a call signed by the hub wakes the delivery cron."""

import json
import time

from odoo import fields
from odoo.tests.common import HttpCase, tagged

from ..models.gassistant_outbox import CRON_XMLID, PARAM_PREFIX
from ..tools import signature
from .common import HUB_URL, SECRET

READY = {"event": "hub.ready"}


@tagged("post_install", "-at_install")
class TestHubReady(HttpCase):
    def setUp(self):
        super().setUp()
        set_param = self.env["ir.config_parameter"].sudo().set_param
        set_param(PARAM_PREFIX + "enabled", "True")
        set_param(PARAM_PREFIX + "webhook_url", HUB_URL)
        set_param(PARAM_PREFIX + "webhook_secret", SECRET)
        self.cron = self.env.ref(CRON_XMLID)
        self.before = self.triggers()

    def triggers(self):
        return (
            self.env["ir.cron.trigger"]
            .sudo()
            .search([("cron_id", "=", self.cron.id)])
        )

    def new_triggers(self):
        return self.triggers() - self.before

    def post(self, payload=READY, secret=SECRET, signed_at=None):
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        stamp = int(time.time() if signed_at is None else signed_at)
        headers = {
            "Content-Type": "application/json",
            signature.SIGNATURE_HEADER: signature.sign(secret, stamp, body),
        }
        response = self.url_open("/gassistant/hub-ready", data=body, headers=headers)
        return response.status_code, response.json()

    def test_a_signed_ready_call_wakes_the_delivery_cron_now(self):
        self.assertEqual(self.post(), (202, {"woken": True}))
        (trigger,) = self.new_triggers()
        self.assertLessEqual(trigger.call_at, fields.Datetime.now())

    def test_calls_that_are_not_the_hubs_wake_nothing(self):
        stale = time.time() - 600
        answers = [
            self.post(secret="someone-else"),
            self.post(signed_at=stale),
            self.post({"event": "lead.created"}),
            self.post(b"not json"),
            self.post(b"x" * 2000),
        ]
        self.assertEqual(
            [status for status, _body in answers], [401, 401, 400, 400, 413]
        )
        self.assertEqual(
            answers[0][1], {"error": "missing or invalid X-GAssistant-Signature"}
        )
        self.assertEqual(
            answers[2][1],
            {"error": 'the body must be a JSON object with "event": "hub.ready"'},
        )
        self.assertFalse(self.new_triggers())

    def test_a_disabled_connector_answers_409(self):
        self.env["ir.config_parameter"].sudo().set_param(
            PARAM_PREFIX + "enabled", False
        )
        self.assertEqual(
            self.post(), (409, {"error": "the G-Assistant connector is not enabled"})
        )
        self.assertFalse(self.new_triggers())
