# Copyright 2026 G-Assistant
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import json

from freezegun import freeze_time

from odoo.tests.common import tagged

from odoo.addons.g_assistant_connector.tests.common import GassistantCase


@tagged("post_install", "-at_install")
class TestSaleOrderWebhooks(GassistantCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partner = cls.env["res.partner"].create({"name": "مؤسسة النخبة"})
        cls.product = cls.env["product.product"].create(
            {"name": "Gold package", "list_price": 1000.0, "type": "service"}
        )

    def setUp(self):
        super().setUp()
        self.lead = self.create_lead(name="Gold deal", partner_id=self.partner.id)
        self.order = self.env["sale.order"].create(
            {
                "partner_id": self.partner.id,
                "opportunity_id": self.lead.id,
                "validity_date": "2026-02-07",
                "order_line": [
                    (0, 0, {"product_id": self.product.id, "product_uom_qty": 2})
                ],
            }
        )
        self.commit()
        self.forget_past()

    def events(self):
        # order.* only: on 18.0 sale_crm also updates the opportunity on confirmation
        return [p["event"] for p in self.hub.payloads() if p["model"] == "sale.order"]

    def order_requests(self):
        return [
            r
            for r, p in zip(self.hub.requests, self.hub.payloads())
            if p["model"] == "sale.order"
        ]

    def test_draft_order_sends_no_order_event(self):
        self.assertFalse(self.new_rows())

    @freeze_time("2026-01-08 10:30:00")
    def test_quotation_sent_payload(self):
        self.order.action_quotation_sent()
        self.commit()
        (payload,) = [p for p in self.hub.payloads() if p["model"] == "sale.order"]
        self.assertEqual(payload["event"], "order.quotation_sent")
        self.assertEqual(payload["model"], "sale.order")
        self.assertEqual(payload["timestamp"], "2026-01-08T10:30:00Z")
        record = payload["record"]
        self.assertEqual(
            {k: record[k] for k in ("id", "name", "state", "opportunity_id")},
            {
                "id": self.order.id,
                "name": self.order.name,
                "state": "sent",
                "opportunity_id": self.lead.id,
            },
        )
        self.assertEqual(
            record["partner"], {"id": self.partner.id, "name": "مؤسسة النخبة"}
        )
        self.assertEqual(record["amount_total"], self.order.amount_total)
        self.assertGreaterEqual(record["amount_total"], 2000.0)
        self.assertEqual(record["currency"], self.order.currency_id.name)
        self.assertEqual(record["validity_date"], "2026-02-07")
        self.assertEqual(record["user"]["id"], self.order.user_id.id)

    def test_confirm_then_cancel(self):
        self.order.action_confirm()
        self.commit()
        self.order._action_cancel()
        self.commit()
        self.assertEqual(self.events(), ["order.confirmed", "order.cancelled"])

    def test_sent_and_confirmed_in_one_transaction_is_one_confirmed(self):
        self.order.action_quotation_sent()
        self.order.action_confirm()
        self.commit()
        self.assertEqual(self.events(), ["order.confirmed"])

    def test_order_events_can_be_switched_off(self):
        form = self.env["res.config.settings"].create(
            {"gassistant_event_order_confirmed": False}
        )
        form.execute()
        self.order.action_confirm()
        self.commit()
        self.assertEqual(self.events(), [])
        self.assertTrue(
            self.env["res.config.settings"].create({}).gassistant_event_order_cancelled
        )
        self.assertIn(
            "order.cancelled",
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("g_assistant_connector.events"),
        )

    def test_body_is_the_signed_json(self):
        self.order.action_confirm()
        self.commit()
        (request,) = self.order_requests()
        self.assertEqual(json.loads(request["body"])["record"]["state"], "sale")
