"""The outbox's pure policy without Odoo: retry delays, outcomes, the delivery plan and
which chatter posts are responses (g_assistant_connector/tools)."""

import unittest
from datetime import datetime, timedelta

from ._addons import load_tools

tools = load_tools()
backoff = tools.backoff
plan = tools.delivery_plan
message_kind = tools.message_kind

SENT, REFUSED, ROW_FAILED, HUB_DOWN = (
    backoff.SENT,
    backoff.REFUSED,
    backoff.ROW_FAILED,
    backoff.HUB_DOWN,
)


def item(row_id, record, due=True, hub_failed=True, probe_ok=None):
    return plan.Pending(
        id=row_id,
        key=("crm.lead", record),
        due=due,
        hub_failed=hub_failed,
        probe_ok=hub_failed if probe_ok is None else probe_ok,
    )


class FakeHub:
    """send(): answers from a script (default SENT) and records (id, probe)."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.calls = []

    def __call__(self, pending, probe):
        self.calls.append((pending.id, probe))
        return self.answers.pop(0) if self.answers else SENT

    def ids(self):
        return [row_id for row_id, _probe in self.calls]


class TestRetryPolicy(unittest.TestCase):
    def test_delays_double_from_30s_and_stop_at_6h(self):
        self.assertEqual(
            [backoff.retry_delay(n) for n in range(1, 7)], [30, 60, 120, 240, 480, 960]
        )
        self.assertEqual(backoff.retry_delay(30), 6 * 3600)
        self.assertEqual(backoff.retry_delay(0), 0)

    def test_each_status_has_one_outcome(self):
        table = {
            200: SENT,
            202: SENT,
            0: HUB_DOWN,  # refused or timed out: no answer at all
            408: HUB_DOWN,
            425: HUB_DOWN,
            429: HUB_DOWN,
            502: HUB_DOWN,
            503: HUB_DOWN,
            504: HUB_DOWN,
            500: ROW_FAILED,
            507: ROW_FAILED,
            400: REFUSED,
            401: REFUSED,
            404: REFUSED,
            409: REFUSED,
            422: REFUSED,
            302: REFUSED,
        }
        self.assertEqual({s: backoff.outcome(s) for s in table}, table)


class TestDeliveryPlan(unittest.TestCase):
    def test_everything_due_goes_oldest_first(self):
        hub = FakeHub()
        result = plan.run([item(1, "a"), item(2, "b"), item(3, "a")], hub)
        self.assertEqual(result, plan.DONE)
        self.assertEqual(hub.calls, [(1, False), (2, False), (3, False)])

    def test_while_the_hub_is_down_a_run_makes_one_request(self):
        hub = FakeHub(HUB_DOWN)
        result = plan.run([item(1, "a"), item(2, "b"), item(3, "c")], hub)
        self.assertEqual(result, plan.HUB_IS_DOWN)
        self.assertEqual(hub.ids(), [1])

    def test_nothing_due_probes_with_the_oldest_waiting_delivery(self):
        hub = FakeHub(HUB_DOWN)
        rows = [item(1, "a", due=False), item(2, "b", due=False)]
        self.assertEqual(plan.run(rows, hub), plan.HUB_IS_DOWN)
        self.assertEqual(hub.calls, [(1, True)])

    def test_a_successful_probe_brings_the_whole_backlog_in_order(self):
        hub = FakeHub()
        rows = [item(n, "ab"[n % 2], due=False) for n in range(1, 6)]
        self.assertEqual(plan.run(rows, hub), plan.DONE)
        self.assertEqual(
            hub.calls, [(1, True), (2, False), (3, False), (4, False), (5, False)]
        )

    def test_a_due_new_delivery_opens_the_run_and_the_backlog_follows(self):
        hub = FakeHub()
        rows = [item(1, "a", due=False), item(2, "a", due=False), item(3, "b")]
        self.assertEqual(plan.run(rows, hub), plan.DONE)
        self.assertEqual(hub.ids(), [3, 1, 2])

    def test_a_due_delivery_never_overtakes_an_older_one_of_its_record(self):
        # 2 is due, but 1 (same record) waits: the probe is 1, not 2
        hub = FakeHub(HUB_DOWN)
        rows = [item(1, "a", due=False), item(2, "a", due=True)]
        self.assertEqual(plan.run(rows, hub), plan.HUB_IS_DOWN)
        self.assertEqual(hub.calls, [(1, True)])

    def test_a_row_the_hub_failed_on_holds_its_record_only(self):
        hub = FakeHub(SENT, ROW_FAILED)
        rows = [item(1, "b"), item(2, "a"), item(3, "b"), item(4, "a"), item(5, "c")]
        self.assertEqual(plan.run(rows, hub), plan.DONE)
        self.assertEqual(hub.ids(), [1, 2, 3, 5])  # 4 waits behind 2

    def test_a_row_the_hub_failed_on_keeps_its_own_retry_time(self):
        hub = FakeHub()
        rows = [
            item(1, "a", due=False, hub_failed=False),
            item(2, "a"),
            item(3, "b"),
        ]
        self.assertEqual(plan.run(rows, hub), plan.DONE)
        self.assertEqual(hub.ids(), [3])

    def test_a_row_the_hub_failed_on_is_never_the_probe(self):
        rows = [item(1, "a", due=False, hub_failed=False)]
        hub = FakeHub()
        self.assertEqual(plan.run(rows, hub), plan.IDLE)
        self.assertEqual(hub.calls, [])

    def test_a_429_is_not_probed_before_its_time(self):
        rows = [item(1, "a", due=False, probe_ok=False), item(2, "b", due=False)]
        hub = FakeHub()
        self.assertEqual(plan.run(rows, hub), plan.DONE)
        self.assertEqual(hub.calls, [(2, True), (1, False)])

    def test_a_refused_row_does_not_hold_its_record(self):
        hub = FakeHub(REFUSED)
        self.assertEqual(plan.run([item(1, "a"), item(2, "a")], hub), plan.DONE)
        self.assertEqual(hub.ids(), [1, 2])

    def test_the_catch_up_stops_when_the_hub_goes_down_again(self):
        hub = FakeHub(SENT, SENT, HUB_DOWN)
        rows = [item(n, str(n)) for n in range(1, 6)]
        self.assertEqual(plan.run(rows, hub), plan.HUB_IS_DOWN)
        self.assertEqual(hub.ids(), [1, 2, 3])

    def test_the_catch_up_stops_when_time_is_up(self):
        hub = FakeHub()
        budget = iter([True, False])
        rows = [item(n, str(n)) for n in range(1, 5)]
        self.assertEqual(plan.run(rows, hub, lambda: next(budget)), plan.MORE)
        self.assertEqual(hub.ids(), [1, 2])

    def test_an_empty_outbox_is_idle(self):
        self.assertEqual(plan.run([], FakeHub()), plan.IDLE)


class TestNextRun(unittest.TestCase):
    ENDED = datetime(2026, 1, 8, 10, 30, 0)

    def after(self, seconds):
        return self.ENDED + timedelta(seconds=seconds)

    def test_out_of_time_continues_at_once(self):
        self.assertEqual(plan.next_run(plan.MORE, self.ENDED, 10), self.ENDED)

    def test_a_hub_that_is_down_is_probed_one_interval_later(self):
        self.assertEqual(
            plan.next_run(plan.HUB_IS_DOWN, self.ENDED, 10), self.after(10)
        )
        # even when a retry time comes sooner: the probe covers it
        self.assertEqual(
            plan.next_run(plan.HUB_IS_DOWN, self.ENDED, 10, self.after(3)),
            self.after(10),
        )

    def test_a_waiting_retry_gets_a_run_at_its_time(self):
        for result in (plan.DONE, plan.IDLE):
            with self.subTest(result=result):
                self.assertEqual(
                    plan.next_run(result, self.ENDED, 10, self.after(30)),
                    self.after(30),
                )
                # never sooner than a probe interval after the last run
                self.assertEqual(
                    plan.next_run(result, self.ENDED, 10, self.after(1)),
                    self.after(10),
                )

    def test_nothing_waiting_asks_for_no_run(self):
        self.assertIsNone(plan.next_run(plan.DONE, self.ENDED, 10))
        self.assertIsNone(plan.next_run(plan.IDLE, self.ENDED, 10))


class TestMessageKind(unittest.TestCase):
    def test_responses_and_non_responses(self):
        kind = message_kind.response_kind
        self.assertEqual(kind("comment", False, True), message_kind.NOTE)
        self.assertEqual(kind("comment", False, False), message_kind.MESSAGE)
        self.assertEqual(kind("email", False, False), message_kind.EMAIL)
        # 17.0 posts a done activity as a notification with its activity type
        self.assertEqual(kind("notification", True, False), message_kind.ACTIVITY_DONE)
        for message_type in (
            "notification",
            "auto_comment",
            "user_notification",
            "email_outgoing",
        ):
            with self.subTest(message_type=message_type):
                self.assertIsNone(kind(message_type, False, False))


if __name__ == "__main__":
    unittest.main()
