# Copyright 2026 G-Assistant
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Shared set-up for the connector's tests: configuration, a fake hub, a fake commit.

The hub is never reached: ``requests.post`` is replaced by ``FakeHub``, which records
every request and answers what the test queued (a status, or an exception). A test
cursor never commits: ``commit()`` runs the precommit hooks (where the outbox rows and
the cron trigger are written) and then the delivery cron that the trigger would wake.
"""

import json
from unittest.mock import patch

import requests

from odoo.tests.common import TransactionCase

from ..models.gassistant_outbox import CRON_XMLID, PARAM_PREFIX

HUB_URL = "https://hub.example.test/webhooks/odoo"
SECRET = "test-odoo-secret"


class FakeResponse:
    def __init__(self, status, text="", headers=None):
        self.status_code = status
        self.text = text
        self.headers = headers or {}


class FakeHub:
    """Stands in for requests.post; answers are consumed in order, then 200."""

    def __init__(self):
        self.requests = []
        self.answers = []

    def queue(self, *answers):
        self.answers.extend(answers)

    def __call__(self, url, data=None, headers=None, timeout=None):
        self.requests.append(
            {"url": url, "body": data, "headers": dict(headers), "timeout": timeout}
        )
        answer = self.answers.pop(0) if self.answers else 200
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, FakeResponse):
            return answer
        return FakeResponse(answer, "" if answer < 300 else '{"error":"boom"}')

    def payloads(self):
        return [json.loads(r["body"].decode("utf-8")) for r in self.requests]


class GassistantCase(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        set_param = cls.env["ir.config_parameter"].sudo().set_param
        set_param(PARAM_PREFIX + "enabled", "True")
        set_param(PARAM_PREFIX + "webhook_url", HUB_URL)
        set_param(PARAM_PREFIX + "webhook_secret", SECRET)
        set_param(PARAM_PREFIX + "timeout", "7")
        cls.Outbox = cls.env["gassistant.outbox"]
        cls.stage_new = cls.env["crm.stage"].create({"name": "G New", "sequence": 1})
        cls.stage_qualified = cls.env["crm.stage"].create(
            {"name": "G Qualified", "sequence": 2}
        )
        cls.stage_won = cls.env["crm.stage"].create(
            {"name": "G Won", "sequence": 70, "is_won": True}
        )

    def setUp(self):
        super().setUp()
        self.hub = FakeHub()
        patcher = patch.object(requests, "post", self.hub)
        patcher.start()
        self.addCleanup(patcher.stop)
        self.delivery_cron = self.env.ref(CRON_XMLID)
        self._discard_pending()
        self.forget_past()

    def forget_past(self):
        """From here on, only new rows, triggers and requests count."""
        self.hub.requests.clear()
        self.last_row_id = self.Outbox.search([], order="id desc", limit=1).id or 0
        self.last_trigger_id = self.triggers()[-1:].id or 0

    def _discard_pending(self):
        """Forget events queued by set-up (what a rollback would do)."""
        self.env.cr.precommit.data.pop("gassistant.pending", None)

    def commit(self, deliver=True):
        """What COMMIT runs (precommit hooks), then the delivery cron it wakes.

        The post-commit hooks are dropped, not run: they only NOTIFY the cron workers
        of real servers, and this test stands in for them.
        """
        self.env.cr.flush()
        self.env.cr.postcommit.clear()
        if deliver:
            return self.Outbox._cron_gassistant_deliver()
        return None

    def new_rows(self):
        return self.Outbox.search([("id", ">", self.last_row_id)], order="id")

    def triggers(self):
        return (
            self.env["ir.cron.trigger"]
            .sudo()
            .search([("cron_id", "=", self.delivery_cron.id)], order="id")
        )

    def new_triggers(self):
        return self.triggers().filtered(lambda t: t.id > self.last_trigger_id)

    def create_lead(self, **vals):
        values = {"name": "Lead", "type": "opportunity", "stage_id": self.stage_new.id}
        values.update(vals)
        return self.env["crm.lead"].create(values)
