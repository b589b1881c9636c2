# Copyright 2026 G-Assistant
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A delivery run that leaves work behind asks for its next run, and only one."""

from datetime import datetime, timedelta

import requests
from freezegun import freeze_time

from odoo.tests.common import tagged

from ..models.gassistant_outbox import PARAM_PREFIX
from ..tools.delivery_plan import DONE, HUB_IS_DOWN, IDLE
from .common import FakeResponse, GassistantCase

T0 = datetime(2026, 1, 8, 10, 30, 0)
DOWN = requests.ConnectionError("connection refused")


def seconds(n):
    return T0 + timedelta(seconds=n)


@tagged("post_install", "-at_install")
class TestNextRun(GassistantCase):
    def setUp(self):
        super().setUp()
        self.lead = self.create_lead(name="Lead")
        self.commit()
        self.forget_past()

    def change(self, probability):
        """A committed change, not sent yet: its outbox row. The commit's own trigger
        (due now) is left out of planned()."""
        self.lead.probability = probability
        self.commit(deliver=False)
        row = self.new_rows()
        self.forget_past()
        return row

    def cron(self):
        return self.Outbox._cron_gassistant_deliver()

    def planned(self):
        """call_at of the triggers the delivery runs added."""
        return self.new_triggers().mapped("call_at")

    def test_while_the_hub_is_down_each_run_asks_for_a_probe_10s_later(self):
        with freeze_time(T0) as clock:
            self.hub.queue(DOWN)
            row = self.change(30)
            self.assertEqual(self.cron(), HUB_IS_DOWN)
            self.assertEqual(self.planned(), [seconds(10)])
            clock.move_to(seconds(10))  # the planned run: still down
            self.hub.queue(DOWN)
            self.assertEqual(self.cron(), HUB_IS_DOWN)
            self.assertEqual(self.planned(), [seconds(10), seconds(20)])
            self.assertEqual(row.attempts, 1)  # the probe was not counted
            clock.move_to(seconds(20))  # the hub is back
            self.assertEqual(self.cron(), DONE)
        self.assertEqual(row.state, "sent")
        self.assertEqual(len(self.hub.requests), 3)
        self.assertEqual(self.planned(), [seconds(10), seconds(20)])  # none after

    def test_runs_woken_meanwhile_add_no_second_probe(self):
        with freeze_time(T0) as clock:
            self.hub.queue(DOWN)
            self.change(30)
            self.cron()
            for second in (3, 7):  # e.g. woken by other changes
                clock.move_to(seconds(second))
                self.hub.queue(DOWN)
                self.assertEqual(self.cron(), HUB_IS_DOWN)
        self.assertEqual(len(self.hub.requests), 3)
        self.assertEqual(self.planned(), [seconds(10)])

    def test_the_probe_interval_is_a_setting_of_at_least_2_seconds(self):
        set_param = self.env["ir.config_parameter"].sudo().set_param
        with freeze_time(T0):
            set_param(PARAM_PREFIX + "probe_interval", "45")
            self.hub.queue(DOWN)
            self.change(30)
            self.cron()
            self.assertEqual(self.planned(), [seconds(45)])
            self.forget_past()
            set_param(PARAM_PREFIX + "probe_interval", "0")
            self.hub.queue(DOWN)
            self.cron()
            self.assertEqual(self.planned(), [seconds(2)])

    def test_a_run_that_sends_everything_asks_for_nothing(self):
        with freeze_time(T0):
            row = self.change(30)
            self.assertEqual(self.cron(), DONE)
            self.assertEqual(row.state, "sent")
            self.assertEqual(self.cron(), IDLE)  # an empty outbox
        self.assertFalse(self.new_triggers())

    def test_a_delivery_the_hub_failed_on_gets_a_run_at_its_retry_time(self):
        with freeze_time(T0) as clock:
            self.hub.queue(FakeResponse(500, "boom"))
            row = self.change(30)
            self.assertEqual(self.cron(), DONE)
            self.assertEqual(row.next_attempt_at, seconds(30))
            self.assertEqual(self.planned(), [seconds(30)])
            clock.move_to(seconds(12))  # an earlier run has nothing to do
            self.assertEqual(self.cron(), IDLE)
            self.assertEqual(self.planned(), [seconds(30)])
            clock.move_to(seconds(30))
            self.assertEqual(self.cron(), DONE)
        self.assertEqual(row.state, "sent")
        self.assertEqual(self.planned(), [seconds(30)])

    def test_a_disabled_connector_asks_for_no_run(self):
        with freeze_time(T0):
            self.hub.queue(DOWN)
            self.change(30)
            self.cron()
            self.env["ir.config_parameter"].sudo().set_param(
                PARAM_PREFIX + "enabled", False
            )
            self.forget_past()
            self.assertEqual(self.cron(), IDLE)
        self.assertFalse(self.new_triggers())
