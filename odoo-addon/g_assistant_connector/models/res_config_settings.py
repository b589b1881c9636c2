# Copyright 2026 G-Assistant
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Settings of the connector, stored in ir.config_parameter (admin only).

Must never expose the secret to non-admins: every field here is restricted to
base.group_system, and ir.config_parameter itself is readable by admins only.
"""

import json
import uuid

import requests

from odoo import _, api, fields, models

from ..tools import backoff, signature
from .gassistant_outbox import (
    DEFAULT_KEEP_SENT_DAYS,
    DEFAULT_TIMEOUT,
    PARAM_PREFIX,
    USER_AGENT,
    _unix,
    iso_utc,
)

ADMIN = "base.group_system"


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    gassistant_enabled = fields.Boolean(
        string="Send webhooks to G-Assistant",
        config_parameter=PARAM_PREFIX + "enabled",
        groups=ADMIN,
    )
    gassistant_webhook_url = fields.Char(
        string="Hub Webhook URL",
        config_parameter=PARAM_PREFIX + "webhook_url",
        groups=ADMIN,
        help="e.g. https://hub.example.com/webhooks/odoo",
    )
    gassistant_webhook_secret = fields.Char(
        string="Shared Secret",
        config_parameter=PARAM_PREFIX + "webhook_secret",
        groups=ADMIN,
        help="The hub's ODOO_WEBHOOK_SECRET; signs every webhook (HMAC-SHA256).",
    )
    gassistant_timeout = fields.Integer(
        string="Timeout (seconds)",
        config_parameter=PARAM_PREFIX + "timeout",
        default=DEFAULT_TIMEOUT,
        groups=ADMIN,
    )
    gassistant_max_attempts = fields.Integer(
        string="Attempts before giving up",
        config_parameter=PARAM_PREFIX + "max_attempts",
        default=12,
        groups=ADMIN,
        help="Failed deliveries are retried with exponential backoff (30 s doubling "
        "up to 6 h); after this many attempts they are marked Failed.",
    )
    gassistant_probe_interval = fields.Integer(
        string="Check a hub that is down every (seconds)",
        config_parameter=PARAM_PREFIX + "probe_interval",
        default=backoff.PROBE_INTERVAL,
        groups=ADMIN,
        help="While the hub does not answer, one request checks whether it is back "
        "(not counted as an attempt); when it answers, the waiting deliveries follow "
        "at once. At least 2 seconds. Odoo runs the check when its cron workers "
        "wake, at the latest once a minute.",
    )
    gassistant_hub_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Hub User",
        config_parameter=PARAM_PREFIX + "hub_user_id",
        groups=ADMIN,
        domain=[("share", "=", False)],
        help="The user the hub logs in as (its ODOO_USER). Its chatter notes on the "
        "leads it syncs are not announced as a response to the customer.",
    )
    gassistant_keep_sent_days = fields.Integer(
        string="Keep sent deliveries (days)",
        config_parameter=PARAM_PREFIX + "keep_sent_days",
        default=DEFAULT_KEEP_SENT_DAYS,
        groups=ADMIN,
        help="Sent deliveries older than this are removed every day (their bodies "
        "hold emails and phone numbers). Pending and failed deliveries are never "
        "removed.",
    )
    gassistant_event_lead_created = fields.Boolean(string="Lead created", groups=ADMIN)
    gassistant_event_lead_updated = fields.Boolean(
        string="Lead updated (salesperson, probability, expected revenue)",
        groups=ADMIN,
    )
    gassistant_event_lead_stage_changed = fields.Boolean(
        string="Lead stage changed", groups=ADMIN
    )
    gassistant_event_lead_won = fields.Boolean(string="Lead won", groups=ADMIN)
    gassistant_event_lead_lost = fields.Boolean(
        string="Lead lost or archived", groups=ADMIN
    )
    gassistant_event_lead_message_posted = fields.Boolean(
        string="Lead answered (message, note, email or activity done by a user)",
        groups=ADMIN,
    )

    @api.model
    def _gassistant_event_fields(self):
        """Boolean field of this model → event name; extended by the sale module."""
        return {
            "gassistant_event_lead_created": "lead.created",
            "gassistant_event_lead_updated": "lead.updated",
            "gassistant_event_lead_stage_changed": "lead.stage_changed",
            "gassistant_event_lead_won": "lead.won",
            "gassistant_event_lead_lost": "lead.lost",
            "gassistant_event_lead_message_posted": "lead.message_posted",
        }

    @api.model
    def get_values(self):
        res = super().get_values()
        enabled = self.env["gassistant.outbox"]._gassistant_config()["events"]
        for field_name, event in self._gassistant_event_fields().items():
            res[field_name] = event in enabled
        return res

    def set_values(self):
        super().set_values()
        if not self.env.user.has_group(ADMIN):
            return
        outbox = self.env["gassistant.outbox"]
        known = outbox._gassistant_events()
        enabled = set(outbox._gassistant_config()["events"])
        for field_name, event in self._gassistant_event_fields().items():
            if self[field_name]:
                enabled.add(event)
            else:
                enabled.discard(event)
        # Keep the list ordered and limited to events this database knows.
        value = ",".join(e for e in known if e in enabled)
        self.env["ir.config_parameter"].sudo().set_param(PARAM_PREFIX + "events", value)

    def action_gassistant_send_test(self):
        """Send a signed ``test.ping`` with the values on screen and report the outcome."""
        self.ensure_one()
        url = (self.gassistant_webhook_url or "").strip()
        secret = self.gassistant_webhook_secret or ""
        if not url or not secret:
            return self._gassistant_notification(
                "warning", _("Set the hub webhook URL and the shared secret first.")
            )
        now = fields.Datetime.now()
        payload = {
            "id": str(uuid.uuid4()),
            "event": "test.ping",
            "timestamp": iso_utc(now),
            "database": self.env.cr.dbname,
            "model": "res.config.settings",
            "record": {"user": {"id": self.env.user.id, "name": self.env.user.name}},
            "changed": [],
        }
        body = signature.encode_body(payload)
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            signature.SIGNATURE_HEADER: signature.sign(secret, _unix(now), body),
        }
        try:
            response = requests.post(
                url,
                data=body,
                headers=headers,
                timeout=max(1, self.gassistant_timeout or DEFAULT_TIMEOUT),
            )
        except requests.RequestException as exc:
            return self._gassistant_notification(
                "danger", _("The hub could not be reached: %s", exc)
            )
        if 200 <= response.status_code <= 299:
            return self._gassistant_notification(
                "success",
                _("The hub accepted the test event (HTTP %s).", response.status_code),
            )
        detail = (response.text or "")[:300]
        try:
            detail = json.loads(detail).get("message", detail)
        except (ValueError, AttributeError):
            pass
        return self._gassistant_notification(
            "danger",
            _("The hub answered HTTP %(status)s: %(detail)s")
            % {"status": response.status_code, "detail": detail},
        )

    def _gassistant_notification(self, kind, message):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": _("G-Assistant"),
                "type": kind,
                "message": message,
                "sticky": kind != "success",
            },
        }
