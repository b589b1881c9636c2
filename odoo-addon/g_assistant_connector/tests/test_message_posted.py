# Copyright 2026 G-Assistant
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""lead.message_posted: a user answered a lead (who, how, when), never what was written."""

import json

from freezegun import freeze_time

from odoo.tests.common import new_test_user, tagged

from ..models.gassistant_outbox import PARAM_PREFIX, iso_utc
from .common import GassistantCase

# Personal data the note carries: it must never leave Odoo.
NOTE_BODY = "اتصلت بالعميل على 0551234567 وسيزورنا غداً"


@tagged("post_install", "-at_install")
class TestMessagePosted(GassistantCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.salesman = new_test_user(
            cls.env,
            login="g-rep",
            name="سارة خالد",
            email="sara@example.sa",
            groups="sales_team.group_sale_salesman",
        )
        cls.hub_user = new_test_user(
            cls.env, login="g-hub", groups="sales_team.group_sale_manager"
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "محمد القحطاني", "email": "m.qahtani@gmail.com"}
        )

    def setUp(self):
        super().setUp()
        self.lead = self.create_lead(name="Lead M", user_id=self.salesman.id)
        self.commit()
        self.forget_past()

    def as_rep(self):
        return self.lead.with_user(self.salesman)

    def posted(self):
        """The ``message`` objects of the lead.message_posted webhooks sent."""
        return [
            p["message"]
            for p in self.hub.payloads()
            if p["event"] == "lead.message_posted"
        ]

    def test_a_log_note_is_announced_with_user_kind_and_time_only(self):
        with freeze_time("2026-01-08 10:30:00"):
            note = self.as_rep().message_post(
                body=NOTE_BODY, message_type="comment", subtype_xmlid="mail.mt_note"
            )
            self.commit()
        (row,) = self.new_rows()
        payload = json.loads(row.body)
        self.assertEqual(payload["event"], "lead.message_posted")
        self.assertEqual(
            set(payload),
            {
                "id",
                "event",
                "timestamp",
                "database",
                "model",
                "record",
                "changed",
                "message",
            },
        )
        self.assertEqual((payload["model"], payload["changed"]), ("crm.lead", []))
        self.assertEqual(payload["record"]["id"], self.lead.id)
        self.assertEqual(
            payload["message"],
            {
                "id": note.id,
                "kind": "note",
                "user": {
                    "id": self.salesman.id,
                    "name": "سارة خالد",
                    "email": "sara@example.sa",
                },
                "date": iso_utc(note.date),
            },
        )
        self.assertNotIn("0551234567", row.body)
        self.assertNotIn("غداً", row.body)
        self.assertEqual(row.state, "sent")

    def test_each_kind_of_response(self):
        self.as_rep().message_post(
            body="<p>Offer attached</p>",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
        self.commit()
        # answered from the rep's mailbox: the mail gateway posts it as OdooBot
        self.lead.message_post(
            body="<p>Re: offer</p>",
            author_id=self.salesman.partner_id.id,
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
        self.commit()
        activity = self.lead.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.salesman.id
        )
        self.commit()
        activity.with_user(self.salesman).action_feedback(feedback="Called")
        self.commit()
        self.assertEqual(
            [(m["kind"], m["user"]["id"]) for m in self.posted()],
            [
                ("message", self.salesman.id),
                ("email", self.salesman.id),
                ("activity_done", self.salesman.id),
            ],
        )

    def test_not_a_response_nothing_is_sent(self):
        self.env["ir.config_parameter"].sudo().set_param(
            PARAM_PREFIX + "hub_user_id", str(self.hub_user.id)
        )
        # the hub's own note on a lead it synced
        self.lead.with_user(self.hub_user).message_post(
            body="Synced from Meta",
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )
        # the customer's email
        self.lead.message_post(
            body="<p>Any news?</p>",
            author_id=self.customer.id,
            message_type="email",
            subtype_xmlid="mail.mt_comment",
        )
        # OdooBot, and a system notification of a user
        self.lead.message_post(body="Automated", message_type="comment")
        self.as_rep().message_post(body="Stage changed", message_type="notification")
        self.commit()
        self.assertFalse(self.new_rows())
        self.assertFalse(self.hub.requests)

    def test_a_note_and_a_stage_change_in_one_transaction_are_two_events(self):
        self.as_rep().write({"stage_id": self.stage_qualified.id})
        first = self.as_rep().message_post(body="one", message_type="comment")
        self.as_rep().message_post(body="two", message_type="comment")
        self.commit()
        self.assertEqual(
            [p["event"] for p in self.hub.payloads()],
            ["lead.stage_changed", "lead.message_posted"],
        )
        self.assertEqual(self.posted()[0]["id"], first.id)  # the first answer counts

    def test_the_event_can_be_switched_off(self):
        self.env["res.config.settings"].create(
            {"gassistant_event_lead_message_posted": False}
        ).execute()
        self.as_rep().message_post(body="note", message_type="comment")
        self.commit()
        self.assertFalse(self.hub.requests)
