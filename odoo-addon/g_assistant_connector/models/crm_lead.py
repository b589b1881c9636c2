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
# The hub's calls this version answers (gassistant_api_version); 1: fields only.
HUB_API_VERSION = 2


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

    @api.model
    def gassistant_api_version(self):
        """What this addon offers the hub: 2 adds ``gassistant_create_leads``."""
        return HUB_API_VERSION

    @api.model
    def gassistant_create_leads(self, vals_list):
        """``create`` as the hub calls it: the same leads, chatter and notifications,
        at a fraction of the cost for a batch.

        For every new lead, mail.thread posts a "Lead/Opportunity created" message with
        ``message_post``, one lead at a time: about two thirds of the time a batched
        create takes (profiled on 17.0). That message notifies the lead's followers who
        want the creation subtype (e.g. a sales team's); here only those leads go through
        ``message_post``. The others, where nobody would be notified, get the very same
        message written in one batch. Returns the ids in input order.
        """
        leads = self.with_context(mail_create_nolog=True).create(vals_list)
        subtype = self.env.ref("crm.mt_lead_create")
        author = self.env.user.partner_id.id
        followed = leads._gassistant_followed_for(subtype)
        for lead in followed:
            # As mail.thread's create does (sudo, the creating user as author).
            lead.sudo().message_post(subtype_id=subtype.id, author_id=author)
        quiet = leads - followed
        if quiet:
            quiet.sudo()._message_create(quiet._gassistant_creation_messages(subtype, author))
        return leads.ids

    def _gassistant_followed_for(self, subtype):
        """The leads of ``self`` with a follower subscribed to ``subtype``."""
        followers = self.env["mail.followers"].sudo().search(
            [
                ("res_model", "=", self._name),
                ("res_id", "in", self.ids),
                ("subtype_ids", "in", subtype.ids),
            ]
        )
        return self.browse(sorted(set(followers.mapped("res_id"))))

    def _gassistant_creation_messages(self, subtype, author_id):
        """The values ``message_post(subtype_id=subtype, author_id=author_id)`` writes
        for each lead of ``self`` (mail_thread.py, 17.0), computed for the batch."""
        author_id, email_from = self._message_compute_author(author_id, None)
        # A flat thread hangs every message on its first one (_message_compute_parent_id).
        first = {}
        for message in self.env["mail.message"].sudo().search(
            [
                ("model", "=", self._name),
                ("res_id", "in", self.ids),
                ("message_type", "!=", "user_notification"),
            ],
            order="id ASC",
        ):
            first.setdefault(message.res_id, message.id)
        alias_domains = self.sudo()._mail_get_alias_domains(
            default_company=self.env.company
        )
        companies = self._mail_get_companies(default=self.env.company)
        reply_to = self._notify_get_reply_to(default=email_from)
        return [
            {
                "author_id": author_id,
                "author_guest_id": False,
                "email_from": email_from,
                "email_add_signature": True,
                "record_name": lead.sudo().display_name,
                "model": self._name,
                "res_id": lead.id,
                "body": "",
                "message_type": "notification",
                "parent_id": first.get(lead.id, False),
                "subject": False,
                "subtype_id": subtype.id,
                "partner_ids": [],
                "record_alias_domain_id": alias_domains[lead.id].id,
                "record_company_id": companies[lead.id].id,
                "reply_to": reply_to[lead.id],
            }
            for lead in self
        ]

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
