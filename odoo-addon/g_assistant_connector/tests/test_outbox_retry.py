# Copyright 2026 G-Assistant
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Failed deliveries stay in the outbox and are retried with exponential backoff."""

from datetime import datetime, timedelta

import requests
from freezegun import freeze_time

from odoo.tests.common import tagged
from odoo.tools import mute_logger

from ..models.gassistant_outbox import PARAM_PREFIX
from .common import FakeResponse, GassistantCase

T0 = datetime(2026, 1, 8, 10, 30, 0)
OUTBOX_LOG = "odoo.addons.g_assistant_connector.models.gassistant_outbox"


@tagged("post_install", "-at_install")
class TestOutboxRetry(GassistantCase):
    def enqueue(self, name="Lead"):
        self.create_lead(name=name)
        self.commit()
        return self.new_rows()[-1]

    def cron(self):
        return self.Outbox._cron_gassistant_deliver()

    def test_hub_down_then_back_delivers_from_the_outbox(self):
        with freeze_time(T0):
            self.hub.queue(requests.ConnectionError("connection refused"))
            row = self.enqueue()
            self.assertEqual(row.state, "pending")
            self.assertEqual(row.attempts, 1)
            self.assertIn("ConnectionError", row.last_error)
            self.assertEqual(row.next_attempt_at, T0 + timedelta(seconds=30))
        with freeze_time(T0 + timedelta(seconds=29)):
            # not due yet: the minute's run only probes, which does not count
            self.hub.queue(requests.ConnectionError("connection refused"))
            self.cron()
            self.assertEqual(len(self.hub.requests), 2)
            self.assertEqual(row.attempts, 1)
            self.assertEqual(row.next_attempt_at, T0 + timedelta(seconds=30))
            self.assertEqual(row.last_attempt_at, T0 + timedelta(seconds=29))
        with freeze_time(T0 + timedelta(seconds=31)):
            self.cron()
        self.assertEqual(len(self.hub.requests), 3)
        self.assertEqual(row.state, "sent")
        self.assertEqual(row.attempts, 2)
        self.assertEqual(row.sent_at, T0 + timedelta(seconds=31))
        # the retry carries the same body and delivery id, signed at its own time
        first, _probe, last = self.hub.requests
        self.assertEqual(first["body"], last["body"])
        self.assertIn("t=1767868231,", last["headers"]["X-GAssistant-Signature"])

    def test_backoff_doubles_on_5xx_and_timeouts(self):
        delays = []
        with freeze_time(T0) as clock:
            self.hub.queue(503, requests.Timeout("read timed out"), 500, 502)
            row = self.enqueue()
            for _i in range(3):
                delays.append((row.next_attempt_at - datetime.now()).total_seconds())
                clock.move_to(row.next_attempt_at)
                self.cron()
            delays.append((row.next_attempt_at - datetime.now()).total_seconds())
        self.assertEqual(delays, [30, 60, 120, 240])
        self.assertEqual(row.attempts, 4)
        self.assertEqual(row.last_status_code, 502)
        self.assertEqual(row.state, "pending")

    @mute_logger(OUTBOX_LOG)  # the warning is the expected outcome
    def test_retry_limit_marks_the_delivery_failed(self):
        self.env["ir.config_parameter"].sudo().set_param(
            PARAM_PREFIX + "max_attempts", "3"
        )
        with freeze_time(T0) as clock:
            self.hub.queue(503, 503, 503)
            row = self.enqueue()
            for _i in range(2):
                clock.move_to(row.next_attempt_at)
                self.cron()
            self.assertEqual((row.state, row.attempts), ("failed", 3))
            clock.tick(timedelta(days=1))
            self.cron()
        self.assertEqual(len(self.hub.requests), 3)  # never tried again by the cron

    @mute_logger(OUTBOX_LOG)  # the warning is the expected outcome
    def test_a_4xx_refusal_is_not_retried(self):
        self.hub.queue(FakeResponse(401, '{"code":"BAD_SIGNATURE"}'))
        row = self.enqueue()
        self.assertEqual((row.state, row.attempts), ("failed", 1))
        self.assertEqual(row.last_error, 'HTTP 401: {"code":"BAD_SIGNATURE"}')

    def test_429_honours_retry_after(self):
        with freeze_time(T0):
            self.hub.queue(FakeResponse(429, "slow down", {"Retry-After": "600"}))
            row = self.enqueue()
        self.assertEqual(row.state, "pending")
        self.assertEqual(row.next_attempt_at, T0 + timedelta(seconds=600))

    @mute_logger(OUTBOX_LOG)  # the warning is the expected outcome
    def test_retry_by_hand_requeues_a_failed_delivery(self):
        self.hub.queue(400)
        row = self.enqueue()
        self.assertEqual(row.state, "failed")
        with freeze_time(T0):
            action = row.action_retry()
            self.assertEqual(
                (row.state, row.attempts, row.next_attempt_at), ("pending", 0, T0)
            )
            self.assertEqual(action["params"]["type"], "info")
            self.cron()
        self.assertEqual(row.state, "sent")
        self.assertEqual(len(self.hub.requests), 2)

    def test_cron_keeps_order_and_stops_at_the_first_failure(self):
        with freeze_time(T0) as clock:
            self.hub.queue(503, 503)
            first = self.enqueue("first")
            second = self.enqueue("second")
            clock.tick(timedelta(minutes=5))
            self.hub.queue(503)
            self.cron()  # first fails again: second is not tried in this run
            self.assertEqual(
                [r["body"] for r in self.hub.requests[-1:]], [first.body.encode()]
            )
            self.assertEqual(second.attempts, 1)
            clock.tick(timedelta(minutes=5))
            self.cron()
        self.assertEqual((first.state, second.state), ("sent", "sent"))
        sent_order = [r["body"] for r in self.hub.requests[-2:]]
        self.assertEqual(sent_order, [first.body.encode(), second.body.encode()])

    def test_nothing_is_sent_while_the_connector_is_disabled(self):
        self.hub.queue(503)
        row = self.enqueue()
        self.env["ir.config_parameter"].sudo().set_param(
            PARAM_PREFIX + "enabled", False
        )
        with freeze_time(datetime.now() + timedelta(hours=1)):
            self.cron()
        self.assertEqual((row.state, len(self.hub.requests)), ("pending", 1))

    def test_the_retry_cron_runs_every_minute_forever(self):
        cron = self.env.ref("g_assistant_connector.ir_cron_gassistant_outbox_deliver")
        self.assertTrue(cron.active)
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "minutes"))
        if "numbercall" in cron._fields:  # 16.0/17.0 only: the default 1 = run once
            self.assertEqual(cron.numbercall, -1)
