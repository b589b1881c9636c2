# Copyright 2026 G-Assistant
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The webhook outbox: every event for the hub is a row here before it is sent.

How an event travels (see README "How delivery works"):

1. a business write calls ``_gassistant_notify``: the event is only remembered on the
   cursor (``cr.precommit.data``), nothing is written or sent yet;
2. just before COMMIT (precommit hook) the events of the transaction are coalesced (one
   per record), their payloads built from the final values and inserted as outbox rows
   in the same transaction: a rolled-back change leaves no row and sends nothing;
3. after COMMIT (postcommit hook) a background thread with its own cursor sends the
   new rows, so the user never waits on the network;
4. a cron retries what failed, with exponential backoff, until a limit.

Must never: send inside the user's transaction, block a user on the hub, log the
secret, the signature or personal data from the payload.
"""

import logging
import threading
import uuid
from calendar import timegm
from datetime import timedelta

import requests

from odoo import SUPERUSER_ID, _, api, fields, models

from ..tools import backoff, signature

_logger = logging.getLogger(__name__)

PARAM_PREFIX = "g_assistant_connector."
PRECOMMIT_KEY = "gassistant.pending"
POSTCOMMIT_KEY = "gassistant.outbox_ids"
USER_AGENT = "G-Assistant-Odoo-Connector/1.0"
DEFAULT_TIMEOUT = 10

# When several events hit the same record in one transaction only one is sent: the
# most significant one (created > won/lost > stage_changed > updated). Equal ranks: the
# later event wins (e.g. an order sent then confirmed in one transaction → confirmed).
EVENT_RANK = {
    "lead.created": 50,
    "lead.won": 40,
    "lead.lost": 40,
    "lead.stage_changed": 30,
    "lead.updated": 10,
}


def iso_utc(value):
    """Odoo naive-UTC datetime → ``2026-01-08T10:30:00Z`` (False/None → None)."""
    if not value:
        return None
    return fields.Datetime.to_datetime(value).replace(microsecond=0).isoformat() + "Z"


def named_ref(record):
    """Many2one → ``{"id", "name"}`` or None."""
    if not record:
        return None
    return {"id": record.id, "name": record.display_name or ""}


def user_ref(user):
    """res.users → ``{"id", "name", "email"}`` or None."""
    if not user:
        return None
    return {"id": user.id, "name": user.name or "", "email": user.email or None}


def text(value):
    """Odoo's False for an empty Char → None (JSON null)."""
    return value or None


class GassistantOutbox(models.Model):
    _name = "gassistant.outbox"
    _description = "G-Assistant Webhook Delivery"
    _order = "id desc"
    _rec_name = "event"

    uuid = fields.Char(
        string="Delivery ID",
        required=True,
        readonly=True,
        index=True,
        copy=False,
        default=lambda self: str(uuid.uuid4()),
        help='Sent as the payload\'s "id": the hub uses it to ignore a redelivery.',
    )
    event = fields.Char(required=True, readonly=True, index=True)
    res_model = fields.Char(string="Model", required=True, readonly=True)
    res_id = fields.Integer(string="Record ID", required=True, readonly=True)
    body = fields.Text(
        readonly=True,
        required=True,
        help="The exact JSON body that is signed and sent (UTF-8).",
    )
    state = fields.Selection(
        selection=[("pending", "Pending"), ("sent", "Sent"), ("failed", "Failed")],
        default="pending",
        required=True,
        readonly=True,
        index=True,
        help="Pending: waiting for its first or next attempt. Sent: the hub answered "
        "2xx. Failed: refused by the hub (4xx) or retry limit reached; retry by hand.",
    )
    attempts = fields.Integer(readonly=True, default=0)
    next_attempt_at = fields.Datetime(
        string="Next Attempt", readonly=True, index=True, default=fields.Datetime.now
    )
    last_attempt_at = fields.Datetime(string="Last Attempt", readonly=True)
    sent_at = fields.Datetime(string="Sent On", readonly=True)
    last_status_code = fields.Integer(string="Last HTTP Status", readonly=True)
    last_error = fields.Text(readonly=True)

    # ------------------------------------------------------------------
    # Configuration
    # ------------------------------------------------------------------

    @api.model
    def _gassistant_events(self):
        """Every event this database can send; extended by g_assistant_connector_sale."""
        return [
            "lead.created",
            "lead.updated",
            "lead.stage_changed",
            "lead.won",
            "lead.lost",
        ]

    @api.model
    def _gassistant_config(self):
        get = self.env["ir.config_parameter"].sudo().get_param
        events = get(PARAM_PREFIX + "events")
        if events is False:  # never saved: every event is on
            enabled_events = set(self._gassistant_events())
        else:
            enabled_events = {e.strip() for e in events.split(",") if e.strip()}
        try:
            timeout = int(get(PARAM_PREFIX + "timeout") or DEFAULT_TIMEOUT)
        except ValueError:
            timeout = DEFAULT_TIMEOUT
        try:
            max_attempts = int(
                get(PARAM_PREFIX + "max_attempts") or backoff.DEFAULT_MAX_ATTEMPTS
            )
        except ValueError:
            max_attempts = backoff.DEFAULT_MAX_ATTEMPTS
        return {
            "enabled": bool(get(PARAM_PREFIX + "enabled")),
            "url": (get(PARAM_PREFIX + "webhook_url") or "").strip(),
            "secret": get(PARAM_PREFIX + "webhook_secret") or "",
            "events": enabled_events,
            "timeout": max(1, timeout),
            "max_attempts": max(1, max_attempts),
        }

    # ------------------------------------------------------------------
    # Enqueueing: remember in the transaction, write at precommit
    # ------------------------------------------------------------------

    @api.model
    def _gassistant_notify(self, records, event, changed=()):
        """Announce ``event`` for ``records`` once the current transaction commits."""
        if not records or self.env.context.get("gassistant_skip_webhook"):
            return
        config = self._gassistant_config()
        if not config["enabled"] or not config["url"] or event not in config["events"]:
            return
        cr = self.env.cr
        pending = cr.precommit.data.get(PRECOMMIT_KEY)
        if pending is None:
            pending = cr.precommit.data[PRECOMMIT_KEY] = {}
            outbox = self.sudo()
            cr.precommit.add(outbox._gassistant_flush_pending)
        rank = EVENT_RANK.get(event, 30)
        for record in records:
            key = (record._name, record.id)
            previous = pending.get(key)
            fields_changed = set(changed)
            if previous:
                fields_changed |= previous["changed"]
                if previous["rank"] > rank:
                    previous["changed"] = fields_changed
                    continue
            pending[key] = {"event": event, "rank": rank, "changed": fields_changed}

    def _gassistant_flush_pending(self):
        """Precommit hook: turn the transaction's events into outbox rows."""
        cr = self.env.cr
        pending = cr.precommit.data.pop(PRECOMMIT_KEY, None)
        if not pending:
            return
        # Payload values are read with a neutral context so the hub always gets the
        # same (source-language) names whoever made the change.
        env = self.env(context={}, su=True)
        vals_list = []
        for (model, res_id), item in pending.items():
            record = env[model].browse(res_id).exists()
            if not record:  # created and deleted in the same transaction
                continue
            delivery_id = str(uuid.uuid4())
            payload = {
                "id": delivery_id,
                "event": item["event"],
                "timestamp": iso_utc(fields.Datetime.now()),
                "database": cr.dbname,
                "model": model,
                "record": record._gassistant_webhook_record(),
                # a creation has no "before": nothing changed from the hub's view
                "changed": []
                if item["event"].endswith(".created")
                else sorted(item["changed"]),
            }
            vals_list.append(
                {
                    "uuid": delivery_id,
                    "event": item["event"],
                    "res_model": model,
                    "res_id": res_id,
                    "body": signature.encode_body(payload).decode("utf-8"),
                }
            )
        if not vals_list:
            return
        rows = env["gassistant.outbox"].create(vals_list)
        env.flush_all()
        ids = cr.postcommit.data.get(POSTCOMMIT_KEY)
        if ids is None:
            ids = cr.postcommit.data[POSTCOMMIT_KEY] = []
            cr.postcommit.add(self._gassistant_after_commit)
        ids.extend(rows.ids)

    def _gassistant_after_commit(self):
        """Postcommit hook: send the committed rows without holding the user."""
        ids = self.env.cr.postcommit.data.pop(POSTCOMMIT_KEY, [])
        if ids:
            self._gassistant_dispatch(ids)

    @api.model
    def _gassistant_dispatch(self, ids):
        """Send ``ids`` from a daemon thread with its own cursor.

        If the thread cannot finish (process recycled, hub down) the rows stay pending
        and the cron sends them: the thread is a fast path, never the only path.
        Tests replace this method to run the delivery inline.
        """
        registry = self.env.registry
        dbname = self.env.cr.dbname

        def run():
            try:
                with registry.cursor() as cr:
                    env = api.Environment(cr, SUPERUSER_ID, {})
                    env["gassistant.outbox"].browse(ids)._gassistant_deliver()
            except Exception:
                _logger.exception("G-Assistant: background webhook delivery crashed")

        thread = threading.Thread(target=run, name="gassistant-webhook", daemon=True)
        thread.dbname = dbname  # lets Odoo's log formatter name the database
        thread.start()
        return thread

    # ------------------------------------------------------------------
    # Delivery
    # ------------------------------------------------------------------

    def _gassistant_lock_pending(self):
        """Rows of ``self`` still pending that no other transaction is sending."""
        if not self.ids:
            return self.browse()
        self.flush_model(["state"])
        self.env.cr.execute(
            "SELECT id FROM gassistant_outbox WHERE id IN %s AND state = 'pending' "
            "ORDER BY id FOR UPDATE SKIP LOCKED",
            [tuple(self.ids)],
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _gassistant_deliver(self):
        """Send the pending rows of ``self`` in creation order.

        Stops at the first retryable failure: the hub is probably down, and trying the
        rest now would only slow this run and reorder events. Returns the rows sent.
        """
        config = self._gassistant_config()
        sent = self.browse()
        if not config["enabled"] or not config["url"] or not config["secret"]:
            return sent
        for row in self._gassistant_lock_pending():
            if row._gassistant_send(config):
                sent |= row
            elif row.state == "pending":
                break
        return sent

    def _gassistant_send(self, config):
        """One attempt for one row; records the outcome. True when the hub took it."""
        self.ensure_one()
        body = self.body.encode("utf-8")
        now = fields.Datetime.now()
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": USER_AGENT,
            # Signed at send time: a retry hours later still passes the hub's
            # 5-minute window, while the body keeps the time of the change.
            signature.SIGNATURE_HEADER: signature.sign(
                config["secret"], _unix(now), body
            ),
        }
        status, error, retry_after = 0, False, 0
        try:
            response = requests.post(
                config["url"], data=body, headers=headers, timeout=config["timeout"]
            )
            status = response.status_code
            if not 200 <= status <= 299:
                error = "HTTP %s: %s" % (status, (response.text or "")[:500])
                retry_after = _retry_after(response)
        except requests.RequestException as exc:
            error = "%s: %s" % (type(exc).__name__, exc)
        vals = {
            "attempts": self.attempts + 1,
            "last_attempt_at": now,
            "last_status_code": status,
            "last_error": error,
        }
        if not error:
            vals.update(state="sent", sent_at=now, next_attempt_at=False)
            _logger.info(
                "G-Assistant: delivered %s %s (HTTP %s)", self.event, self.uuid, status
            )
        elif status and not backoff.is_retryable_status(status):
            vals.update(state="failed", next_attempt_at=False)
            _logger.warning(
                "G-Assistant: hub refused %s %s (HTTP %s); not retried",
                self.event,
                self.uuid,
                status,
            )
        elif vals["attempts"] >= config["max_attempts"]:
            vals.update(state="failed", next_attempt_at=False)
            _logger.warning(
                "G-Assistant: giving up %s %s after %s attempts",
                self.event,
                self.uuid,
                vals["attempts"],
            )
        else:
            delay = max(backoff.retry_delay(vals["attempts"]), retry_after)
            vals["next_attempt_at"] = now + timedelta(
                seconds=min(delay, backoff.MAX_DELAY)
            )
            _logger.info(
                "G-Assistant: delivery of %s %s failed (attempt %s), retry at %s",
                self.event,
                self.uuid,
                vals["attempts"],
                vals["next_attempt_at"],
            )
        self.write(vals)
        return not error

    @api.model
    def _cron_gassistant_deliver(self, limit=50):
        """Cron: send what is due, oldest first; re-trigger itself if more is due."""
        now = fields.Datetime.now()
        domain = [("state", "=", "pending"), ("next_attempt_at", "<=", now)]
        due = self.search(domain, order="id", limit=limit)
        sent = due._gassistant_deliver()
        if sent == due and len(due) == limit and self.search_count(domain):
            self.env.ref(
                "g_assistant_connector.ir_cron_gassistant_outbox_deliver"
            )._trigger()
        return sent

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_retry(self):
        """Put the selected deliveries back in the queue; the cron sends them now."""
        todo = self.filtered(lambda r: r.state != "sent")
        todo.write(
            {
                "state": "pending",
                "attempts": 0,
                "next_attempt_at": fields.Datetime.now(),
                "last_error": False,
            }
        )
        if todo:
            self.env.ref(
                "g_assistant_connector.ir_cron_gassistant_outbox_deliver"
            )._trigger()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": _("%s delivery(ies) queued for sending.", len(todo)),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_open_record(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }


def _unix(naive_utc):
    """Unix seconds of an Odoo naive-UTC datetime (frozen by freezegun in tests)."""
    return timegm(naive_utc.timetuple())


def _retry_after(response):
    """Seconds from a Retry-After header (delta form only; dates are ignored)."""
    try:
        return max(0, int((response.headers or {}).get("Retry-After", 0)))
    except (TypeError, ValueError):
        return 0
