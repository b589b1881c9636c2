# Copyright 2026 G-Assistant
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""After an outage the backlog goes at once and in order; one record never overtakes itself."""

import json
from datetime import datetime, timedelta

import requests
from freezegun import freeze_time

from odoo.tests.common import tagged

from ..tools import delivery_plan
from .common import FakeResponse, GassistantCase

T0 = datetime(2026, 1, 8, 10, 30, 0)
REFUSED = requests.ConnectionError("connection refused")


@tagged("post_install", "-at_install")
class TestDeliveryOrder(GassistantCase):
    def setUp(self):
        super().setUp()
        self.lead_a = self.create_lead(name="A")
        self.lead_b = self.create_lead(name="B")
        self.commit()
        self.forget_past()

    def sent(self):
        """(lead id, event) of every request the hub received, in order."""
        return [(p["record"]["id"], p["event"]) for p in self.hub.payloads()]

    def change(self, lead, deliver=True, **vals):
        lead.write(vals)
        return self.commit(deliver=deliver)

    def test_backlog_arrives_in_order_at_the_first_answer_after_an_outage(self):
        with freeze_time(T0) as clock:
            # the hub goes down: each change is tried once when it is committed
            self.hub.queue(REFUSED, REFUSED, REFUSED)
            self.change(self.lead_a, stage_id=self.stage_qualified.id)
            clock.tick(5)
            self.change(self.lead_b, probability=20)
            clock.tick(5)
            self.change(self.lead_a, probability=70)
            backlog = self.new_rows()
            # the third run had nothing due: it probed with A's first event, which
            # does not count; A's second event was never sent before it
            self.assertEqual(backlog.mapped("attempts"), [1, 1, 0])
            self.assertEqual(len(self.hub.requests), 3)
            # ten minutes later nothing is due (backoff), yet every run probes once
            clock.tick(timedelta(minutes=10))
            for row in backlog:
                row.next_attempt_at = T0 + timedelta(hours=1)
            self.hub.queue(REFUSED)
            self.assertEqual(self.cron(), delivery_plan.HUB_IS_DOWN)
            self.assertEqual(len(self.hub.requests), 4)
            self.assertEqual(backlog.mapped("attempts"), [1, 1, 0])  # not counted
            # the hub is back: the next run's probe succeeds and the rest follows
            self.hub.requests.clear()
            self.assertEqual(self.cron(), delivery_plan.DONE)
        self.assertEqual(backlog.mapped("state"), ["sent", "sent", "sent"])
        self.assertEqual(
            self.sent(),
            [
                (self.lead_a.id, "lead.stage_changed"),
                (self.lead_b.id, "lead.updated"),
                (self.lead_a.id, "lead.updated"),
            ],
        )

    def test_a_new_change_accepted_after_an_outage_brings_the_backlog_along(self):
        with freeze_time(T0) as clock:
            self.hub.queue(REFUSED)
            self.change(self.lead_a, stage_id=self.stage_qualified.id)
            clock.tick(20)  # the backlog row is not due again before T0 + 30 s
            self.hub.requests.clear()
            self.change(self.lead_b, probability=20)
        self.assertEqual(
            self.sent(),
            [(self.lead_b.id, "lead.updated"), (self.lead_a.id, "lead.stage_changed")],
        )
        self.assertEqual(set(self.new_rows().mapped("state")), {"sent"})

    def test_a_later_event_of_a_record_waits_behind_its_failed_one(self):
        with freeze_time(T0) as clock:
            # the hub answers but fails on A's first event: B is not held up
            self.hub.queue(FakeResponse(500, "boom"))
            self.change(self.lead_a, stage_id=self.stage_qualified.id)
            self.change(self.lead_a, probability=70)
            self.change(self.lead_b, probability=20)
            a_first, a_second, b_row = self.new_rows()
            self.assertEqual(
                (a_first.state, a_second.state, b_row.state),
                ("pending", "pending", "sent"),
            )
            self.assertEqual(a_second.attempts, 0)  # never sent before a_first
            clock.tick(31)  # a_first is due again
            self.cron()
        self.assertEqual(
            self.sent(),
            [
                (self.lead_a.id, "lead.stage_changed"),
                (self.lead_b.id, "lead.updated"),
                (self.lead_a.id, "lead.stage_changed"),
                (self.lead_a.id, "lead.updated"),
            ],
        )
        self.assertEqual((a_first.state, a_second.state), ("sent", "sent"))

    def test_a_run_that_runs_out_of_time_wakes_the_next_one(self):
        with freeze_time(T0):
            self.hub.queue(REFUSED)
            self.change(self.lead_a, stage_id=self.stage_qualified.id)
            self.change(self.lead_b, deliver=False, probability=20)
            before = len(self.new_triggers())
            result = self.Outbox._cron_gassistant_deliver(time_budget=0)
        self.assertEqual(result, delivery_plan.MORE)
        self.assertEqual(len(self.new_triggers()), before + 1)
        # B's event opened the run; A's, older, was next when time ran out
        self.assertEqual(self.new_rows().mapped("state"), ["pending", "sent"])
        self.Outbox._cron_gassistant_deliver()
        self.assertEqual(self.new_rows().mapped("state"), ["sent", "sent"])

    def test_the_hub_asking_to_slow_down_is_not_probed_before_its_time(self):
        with freeze_time(T0) as clock:
            self.hub.queue(FakeResponse(429, "slow down", {"Retry-After": "300"}))
            self.change(self.lead_a, stage_id=self.stage_qualified.id)
            clock.tick(60)
            self.assertEqual(self.cron(), delivery_plan.IDLE)
            self.assertEqual(len(self.hub.requests), 1)
            clock.tick(241)
            self.assertEqual(self.cron(), delivery_plan.DONE)
        self.assertEqual(len(self.hub.requests), 2)

    def test_every_request_carries_its_own_delivery_id(self):
        self.change(self.lead_a, stage_id=self.stage_qualified.id)
        self.change(self.lead_a, probability=70)
        ids = [json.loads(r["body"])["id"] for r in self.hub.requests]
        self.assertEqual(ids, self.new_rows().mapped("uuid"))

    def cron(self):
        return self.Outbox._cron_gassistant_deliver()
