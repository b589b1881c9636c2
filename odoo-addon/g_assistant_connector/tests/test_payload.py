# Copyright 2026 G-Assistant
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo.tests.common import tagged
from odoo.tools import mute_logger

from ..models.gassistant_outbox import iso_utc
from .common import GassistantCase


@tagged("post_install", "-at_install")
class TestPayload(GassistantCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user = cls.env["res.users"].create(
            {
                "name": "سارة خالد",
                "login": "g-sara",
                "email": "sara@example.sa",
                "groups_id": [(4, cls.env.ref("sales_team.group_sale_salesman").id)],
            }
        )
        cls.team = cls.env["crm.team"].create({"name": "Riyadh Team"})
        cls.source = cls.env["utm.source"].create({"name": "G Facebook"})
        cls.medium = cls.env["utm.medium"].create({"name": "Paid Social"})
        cls.campaign = cls.env["utm.campaign"].create({"name": "Ramadan 2026"})

    @freeze_time("2026-01-08 10:30:00")
    def test_lead_created_payload_has_every_contract_key(self):
        lead = self.create_lead(
            name="استفسار عن الباقة الذهبية",
            partner_name="شركة القحطاني للتجارة",
            contact_name="محمد عبدالله القحطاني",
            email_from="m.qahtani@gmail.com",
            phone="+966551234567",
            user_id=self.user.id,
            team_id=self.team.id,
            expected_revenue=45000,
            probability=60,
            source_id=self.source.id,
            medium_id=self.medium.id,
            campaign_id=self.campaign.id,
            gassistant_ref="meta:2100000000000001",
        )
        self.commit()
        (row,) = self.new_rows()
        payload = json.loads(row.body)
        self.assertEqual(
            set(payload),
            {"id", "event", "timestamp", "database", "model", "record", "changed"},
        )
        self.assertEqual(payload["id"], row.uuid)
        self.assertEqual(payload["event"], "lead.created")
        self.assertEqual(payload["timestamp"], "2026-01-08T10:30:00Z")
        self.assertEqual(payload["database"], self.env.cr.dbname)
        self.assertEqual(payload["model"], "crm.lead")
        self.assertEqual(payload["changed"], [])
        self.assertEqual(
            payload["record"],
            {
                "id": lead.id,
                "name": "استفسار عن الباقة الذهبية",
                "type": "opportunity",
                "active": True,
                "won_status": "pending",
                "partner_name": "شركة القحطاني للتجارة",
                "contact_name": "محمد عبدالله القحطاني",
                "email_from": "m.qahtani@gmail.com",
                "phone": "+966551234567",
                "stage": {"id": self.stage_new.id, "name": "G New"},
                "user": {
                    "id": self.user.id,
                    "name": "سارة خالد",
                    "email": "sara@example.sa",
                },
                "team": {"id": self.team.id, "name": "Riyadh Team"},
                "expected_revenue": 45000.0,
                "probability": 60.0,
                "currency": lead.company_currency.name,
                "lost_reason": None,
                "source": "G Facebook",
                "medium": "Paid Social",
                "campaign": "Ramadan 2026",
                "gassistant_ref": "meta:2100000000000001",
                # create/write dates come from PostgreSQL's now(), not the frozen clock
                "create_date": iso_utc(lead.create_date),
                "write_date": iso_utc(lead.write_date),
            },
        )

    def test_empty_values_are_json_null_and_body_is_raw_utf8(self):
        self.create_lead(name="عميل محتمل", user_id=False, team_id=False)
        self.commit()
        (row,) = self.new_rows()
        record = json.loads(row.body)["record"]
        for key in ("email_from", "phone", "user", "team", "source", "gassistant_ref"):
            self.assertIsNone(record[key], key)
        self.assertIn("عميل محتمل", row.body)  # not \u-escaped
        self.assertEqual(
            self.hub.requests[0]["body"], row.body.encode("utf-8")
        )  # the bytes sent are the bytes stored

    def test_blank_reference_is_stored_as_null_and_stays_unique(self):
        first = self.create_lead(gassistant_ref="  ")
        second = self.create_lead(gassistant_ref="")
        self.assertFalse(first.gassistant_ref)
        self.assertFalse(second.gassistant_ref)
        self.create_lead(gassistant_ref="meta:1")
        with self.assertRaises(IntegrityError), mute_logger(
            "odoo.sql_db"
        ), self.env.cr.savepoint():
            self.create_lead(gassistant_ref="meta:1")
            self.env.flush_all()

    def test_score_outside_0_100_is_refused(self):
        lead = self.create_lead()
        lead.gassistant_score = 100
        self.env.flush_all()
        with self.assertRaises(IntegrityError), mute_logger(
            "odoo.sql_db"
        ), self.env.cr.savepoint():
            lead.gassistant_score = 101
            self.env.flush_all()
