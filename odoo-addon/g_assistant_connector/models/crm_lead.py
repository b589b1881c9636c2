# Copyright 2026 G-Assistant
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""crm.lead: the fields the hub writes, and the lead events it is told about.

Must never send anything itself: it only calls ``gassistant.outbox._gassistant_notify``,
which defers everything to the commit. Must never put a chatter message's body in an
event: ``lead.message_posted`` says who answered, how and when, nothing more.
"""

from odoo import SUPERUSER_ID, api, fields, models

from ..tools.message_kind import response_kind
from .gassistant_outbox import iso_utc, named_ref, text, user_ref

# Changes that make a "lead.updated" (stage and active have their own events).
UPDATE_FIELDS = ("user_id", "probability", "expected_revenue")
WATCHED_FIELDS = ("stage_id", "active") + UPDATE_FIELDS


class CrmLead(models.Model):
    _inherit = "crm.lead"

    # The UNIQUE constraint below already creates a btree index on the column;
    # index=True is kept because the hub's look-up by reference is the documented
    # access path (issue 6), and it costs one small index on a low-write table.
    gassistant_ref = fields.Char(
        string="G-Assistant Reference",
        index=True,
        copy=False,
        tracking=False,
        help="External reference set by the G-Assistant hub (e.g. meta:<leadgen id>). "
        "Unique when set, so the hub can never create the same lead twice.",
    )
    gassistant_score = fields.Integer(
        string="G-Assistant Score",
        copy=False,
        help="Lead score from 0 to 100 computed by the G-Assistant hub.",
    )
    gassistant_score_breakdown = fields.Text(
        string="G-Assistant Score Breakdown",
        copy=False,
        help="JSON written by the hub: the rules that made the score and their points.",
    )
    gassistant_flags = fields.Char(
        string="G-Assistant Flags",
        copy=False,
        help="Comma-separated data-quality flags set by the hub "
        "(e.g. invalid_phone, test_lead).",
    )

    _sql_constraints = [
        (
            "gassistant_ref_unique",
            "UNIQUE(gassistant_ref)",
            "Another lead already has this G-Assistant reference.",
        ),
        (
            "gassistant_score_range",
            "CHECK(gassistant_score IS NULL OR "
            "(gassistant_score >= 0 AND gassistant_score <= 100))",
            "The G-Assistant score must be between 0 and 100.",
        ),
    ]

    @api.model
    def _gassistant_clean_ref(self, vals):
        # An empty string is not "unset" for PostgreSQL's UNIQUE: store NULL instead.
        if "gassistant_ref" in vals:
            vals["gassistant_ref"] = (vals["gassistant_ref"] or "").strip() or False
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create([self._gassistant_clean_ref(v) for v in vals_list])
        self.env["gassistant.outbox"]._gassistant_notify(leads, "lead.created")
        return leads

    def write(self, vals):
        vals = self._gassistant_clean_ref(dict(vals))
        watched = [f for f in WATCHED_FIELDS if f in vals]
        if not watched:
            return super().write(vals)
        before = {
            lead.id: {f: lead[f] for f in WATCHED_FIELDS}
            for lead in self.with_context(active_test=False)
        }
        result = super().write(vals)
        outbox = self.env["gassistant.outbox"]
        for lead in self:
            old = before.get(lead.id)
            if old is None:
                continue
            changed = [f for f in WATCHED_FIELDS if lead[f] != old[f]]
            if not changed:
                continue
            event = lead._gassistant_event_for(changed)
            outbox._gassistant_notify(lead, event, changed)
        return result

    def _message_post_after_hook(self, message, msg_vals):
        result = super()._message_post_after_hook(message, msg_vals)
        kind = response_kind(
            message.message_type,
            bool(message.mail_activity_type_id),
            message.subtype_id.internal,
        )
        if kind:
            user = self._gassistant_responder(message)
            if user:
                self.env["gassistant.outbox"]._gassistant_notify(
                    self,
                    "lead.message_posted",
                    message={"id": message.id, "kind": kind, "user_id": user.id},
                )
        return result

    def _gassistant_responder(self, message):
        """The internal user behind ``message``, if it counts as a response.

        The author decides, not the session: an email a salesperson sends from their
        mailbox arrives through the mail gateway as OdooBot. Not a response: a message
        of a customer or portal user, of OdooBot, or of the hub's own user (its notes on
        the leads it syncs are not anyone answering the customer).
        """
        users = message.sudo().author_id.user_ids.filtered(lambda u: not u.share)
        user = self.env.user if self.env.user in users else users[:1]
        hub_user_id = self.env["gassistant.outbox"]._gassistant_config()["hub_user_id"]
        if not user or user.id in (SUPERUSER_ID, hub_user_id):
            return self.env["res.users"]
        return user

    def _gassistant_event_for(self, changed):
        """Name of the event for a change of the fields ``changed`` on this lead."""
        self.ensure_one()
        if "active" in changed and not self.active:
            return "lead.lost"
        if "stage_id" in changed:
            if self.stage_id.is_won and self.active:
                return "lead.won"
            return "lead.stage_changed"
        return "lead.updated"

    def _gassistant_won_status(self):
        self.ensure_one()
        if not self.active:
            return "lost"
        if self.stage_id.is_won:
            return "won"
        return "pending"

    def _gassistant_webhook_record(self):
        """The ``record`` object of a lead webhook (README "Payload contract")."""
        self.ensure_one()
        return {
            "id": self.id,
            "name": self.name or "",
            "type": self.type,
            "active": self.active,
            "won_status": self._gassistant_won_status(),
            "partner_name": text(self.partner_name),
            "contact_name": text(self.contact_name),
            "email_from": text(self.email_from),
            "phone": text(self.phone),
            "stage": named_ref(self.stage_id),
            "user": user_ref(self.user_id),
            "team": named_ref(self.team_id),
            "expected_revenue": float(self.expected_revenue or 0.0),
            "probability": float(self.probability or 0.0),
            "currency": self.company_currency.name or None,
            "lost_reason": text(self.lost_reason_id.name),
            "source": text(self.source_id.name),
            "medium": text(self.medium_id.name),
            "campaign": text(self.campaign_id.name),
            "gassistant_ref": text(self.gassistant_ref),
            "create_date": iso_utc(self.create_date),
            "write_date": iso_utc(self.write_date),
        }
