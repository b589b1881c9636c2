# Copyright 2026 G-Assistant
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""gassistant_create_leads: the leads, chatter and notifications of ``create``."""

from odoo.tests.common import TransactionCase, new_test_user, tagged

# The fields of a chatter message a user or a report can see or filter on.
COMPARED = (
    "body",
    "message_type",
    "subtype_id",
    "is_internal",
    "author_id",
    "email_from",
    "record_name",
    "reply_to",
    "record_company_id",
    "record_alias_domain_id",
    "subject",
    "email_add_signature",
)


@tagged("post_install", "-at_install")
class TestCreateLeads(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Lead = cls.env["crm.lead"]
        cls.team = cls.env["crm.team"].create({"name": "فريق الرياض"})
        cls.note = cls.env.ref("mail.mt_note").id

    def values(self, ref, **extra):
        name = f"عميل {ref}"
        return {
            "name": name,
            "email_from": f"{ref}@example.sa",
            "type": "lead",
            "user_id": False,
            "team_id": self.team.id,
            "gassistant_ref": ref,
            # The hub's first note travels with the lead, as the hub sends it.
            "message_ids": [
                (0, 0, {
                    "body": f"<p>عميل جديد من إعلانات ميتا <b>{ref}</b></p>",
                    "message_type": "comment",
                    "subtype_id": self.note,
                    "model": "crm.lead",
                    "record_name": name,
                })
            ],
            **extra,
        }

    def chatter(self, lead):
        messages = lead.message_ids.sorted("id")
        rows = []
        for message in messages:
            row = {f: message[f] for f in COMPARED}
            row["parent"] = messages.ids.index(message.parent_id.id) if message.parent_id else None
            rows.append(row)
        return rows

    def test_same_leads_and_chatter_as_create(self):
        ids = self.Lead.gassistant_create_leads(
            [self.values("meta:1"), self.values("meta:2")]
        )
        created = self.Lead.browse(ids)
        self.assertEqual(created.mapped("gassistant_ref"), ["meta:1", "meta:2"])
        plain = self.Lead.create([self.values("meta:3")])

        for lead in created:
            chatter = self.chatter(lead)
            expected = self.chatter(plain)
            # Only the name differs (it is in the lead's name and the note).
            for row in chatter + expected:
                row["record_name"] = row["body"] = None
            self.assertEqual(chatter, expected)
        first = self.chatter(created[0])
        self.assertEqual(len(first), 2, "the hub's note and Odoo's creation message")
        self.assertEqual(first[1]["subtype_id"], self.env.ref("crm.mt_lead_create"))

    def test_followers_of_the_team_are_notified_as_by_create(self):
        rep = new_test_user(
            self.env, login="g-team-rep", groups="sales_team.group_sale_salesman",
            notification_type="inbox",
        )
        self.team.message_subscribe(partner_ids=rep.partner_id.ids)
        [hub_id] = self.Lead.gassistant_create_leads([self.values("meta:4")])
        plain = self.Lead.create([self.values("meta:5")])

        def notified(lead):
            creation = lead.message_ids.filtered(
                lambda m: m.subtype_id == self.env.ref("crm.mt_lead_create")
            )
            return creation.notification_ids.res_partner_id

        self.assertEqual(notified(plain), rep.partner_id)
        self.assertEqual(notified(self.Lead.browse(hub_id)), rep.partner_id)

    def test_an_unfollowed_lead_notifies_nobody(self):
        [lead_id] = self.Lead.gassistant_create_leads([self.values("meta:6")])
        messages = self.Lead.browse(lead_id).message_ids
        self.assertFalse(messages.notification_ids)

    def test_api_version(self):
        self.assertEqual(self.Lead.gassistant_api_version(), 2)
