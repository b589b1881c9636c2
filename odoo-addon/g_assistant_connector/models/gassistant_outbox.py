# Copyright 2026 G-Assistant
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The webhook outbox: every event for the hub is a row here before it is sent.

How an event travels (see README "How delivery works"):

1. a business write calls ``_gassistant_notify``: the event is only remembered on the
   cursor (``cr.precommit.data``), nothing is written or sent yet;
2. just before COMMIT (precommit hook) the events of the transaction are coalesced (one
   per record), their payloads built from the final values and inserted as outbox rows
   in the same transaction, together with a trigger of the delivery cron: a rolled-back
   change leaves no row, no trigger and sends nothing;
3. after COMMIT, Odoo wakes its cron workers (``ir.cron._trigger``): the delivery cron
   sends the new rows within moments, in order, from a cron worker. The user's request
   never waits on the network and no thread is started;
4. a run that leaves work behind asks for its own next run (``ir.cron._trigger(at)``):
   one probe interval later while the hub is down, at the next retry time when a
   delivery waits for one; the cron also runs every minute. When the hub answers again
   the whole backlog follows at once (``tools/delivery_plan``).

Must never: send inside the user's transaction, start a thread, block a user on the
hub, log the secret, the signature or personal data from the payload.
"""

import logging
import time
import uuid
from calendar import timegm
from datetime import timedelta

import requests

from odoo import _, api, fields, models

from ..tools import backoff, delivery_plan, signature

_logger = logging.getLogger(__name__)

PARAM_PREFIX = "g_assistant_connector."
PRECOMMIT_KEY = "gassistant.pending"
CRON_XMLID = "g_assistant_connector.ir_cron_gassistant_outbox_deliver"
USER_AGENT = "G-Assistant-Odoo-Connector/1.1"
DEFAULT_TIMEOUT = 10
DEFAULT_KEEP_SENT_DAYS = 30
# One delivery run stops starting requests after this many seconds and triggers the
# next run: a cron job must stay far below Odoo's time limits (limit_time_real_cron),
# and its transaction commits the outcome of every request it made.
RUN_BUDGET = 30
# Pending rows one run considers; the next run sees the rest.
RUN_READ_LIMIT = 10000
# What a run reads of every pending row (``_gassistant_plan_item``).
PLAN_FIELDS = [
    "res_model",
    "res_id",
    "next_attempt_at",
    "last_attempt_at",
    "last_status_code",
]

# When several events hit the same record in one transaction only one is sent: the
# most significant one (created > won/lost > stage_changed > updated). Equal ranks: the
# later event wins (e.g. an order sent then confirmed in one transaction → confirmed).
# ``lead.message_posted`` is never merged with these: it says something else.
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


def _int_param(get, key, default):
    try:
        return int(get(PARAM_PREFIX + key) or default)
    except ValueError:
        return default


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
    attempts = fields.Integer(
        readonly=True,
        default=0,
        help="Attempts counted towards the retry limit. A request that only checks "
        "whether a hub that was down is back is not counted.",
    )
    next_attempt_at = fields.Datetime(
        string="Next Attempt", readonly=True, index=True, default=fields.Datetime.now
    )
    last_attempt_at = fields.Datetime(string="Last Attempt", readonly=True)
    sent_at = fields.Datetime(string="Sent On", readonly=True)
    last_status_code = fields.Integer(
        string="Last HTTP Status",
        readonly=True,
        help="0 when the hub could not be reached (refused, timed out).",
    )
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
            "lead.message_posted",
        ]

    @api.model
    def _gassistant_config(self):
        get = self.env["ir.config_parameter"].sudo().get_param
        events = get(PARAM_PREFIX + "events")
        if events is False:  # never saved: every event is on
            enabled_events = set(self._gassistant_events())
        else:
            enabled_events = {e.strip() for e in events.split(",") if e.strip()}
        return {
            "enabled": bool(get(PARAM_PREFIX + "enabled")),
            "url": (get(PARAM_PREFIX + "webhook_url") or "").strip(),
            "secret": get(PARAM_PREFIX + "webhook_secret") or "",
            "events": enabled_events,
            "timeout": max(1, _int_param(get, "timeout", DEFAULT_TIMEOUT)),
            "max_attempts": max(
                1, _int_param(get, "max_attempts", backoff.DEFAULT_MAX_ATTEMPTS)
            ),
            "hub_user_id": _int_param(get, "hub_user_id", 0),
            "keep_sent_days": max(
                1, _int_param(get, "keep_sent_days", DEFAULT_KEEP_SENT_DAYS)
            ),
            "probe_interval": max(
                backoff.MIN_PROBE_INTERVAL,
                _int_param(get, "probe_interval", backoff.PROBE_INTERVAL),
            ),
        }

    @api.model
    def _gassistant_enable_events(self, events):
        """Switch ``events`` on in a saved event list (used when a version adds events).

        An administrator who saved the settings before an event existed never chose to
        leave it off; a list never saved already means "every event".
        """
        config_parameter = self.env["ir.config_parameter"].sudo()
        saved = config_parameter.get_param(PARAM_PREFIX + "events")
        if saved is False:
            return
        enabled = [e.strip() for e in saved.split(",") if e.strip()]
        enabled += [e for e in events if e not in enabled]
        config_parameter.set_param(PARAM_PREFIX + "events", ",".join(enabled))

    # ------------------------------------------------------------------
    # Enqueueing: remember in the transaction, write at precommit
    # ------------------------------------------------------------------

    @api.model
    def _gassistant_notify(self, records, event, changed=(), message=None):
        """Announce ``event`` for ``records`` once the current transaction commits.

        :param message: for ``lead.message_posted`` only: ``{"id", "kind", "user_id"}``
            of the chatter message; the first one of a transaction is kept per record
        """
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
        if message:
            for record in records:
                key = (record._name, record.id, "message")
                pending.setdefault(key, {"event": event, "message": message})
            return
        rank = EVENT_RANK.get(event, 30)
        for record in records:
            key = (record._name, record.id, "state")
            previous = pending.get(key)
            fields_changed = set(changed)
            if previous:
                fields_changed |= previous["changed"]
                if previous["rank"] > rank:
                    previous["changed"] = fields_changed
                    continue
            pending[key] = {"event": event, "rank": rank, "changed": fields_changed}

    def _gassistant_flush_pending(self):
        """Precommit hook: the transaction's events become outbox rows; wake the cron."""
        cr = self.env.cr
        pending = cr.precommit.data.pop(PRECOMMIT_KEY, None)
        if not pending:
            return
        # Payload values are read with a neutral context so the hub always gets the
        # same (source-language) names whoever made the change.
        env = self.env(context={}, su=True)
        vals_list = []
        for (model, res_id, _kind), item in pending.items():
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
                "changed": sorted(item.get("changed", ()))
                if not item["event"].endswith(".created")
                else [],
            }
            if "message" in item:
                payload["message"] = self._gassistant_message_payload(item["message"])
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
        env["gassistant.outbox"].create(vals_list)
        self._gassistant_wake_cron()
        # precommit hooks run after the ORM's own flush: write our rows now
        env.flush_all()

    @api.model
    def _gassistant_message_payload(self, message):
        """The ``message`` object of a ``lead.message_posted`` webhook: who, what kind,
        when. Never the body, subject or recipients: personal data stays in Odoo."""
        env = self.env(context={}, su=True)
        posted = env["mail.message"].browse(message["id"]).exists()
        return {
            "id": message["id"],
            "kind": message["kind"],
            "user": user_ref(env["res.users"].browse(message["user_id"])),
            "date": iso_utc(posted.date if posted else fields.Datetime.now()),
        }

    @api.model
    def _gassistant_wake_cron(self):
        """Run the delivery cron as soon as this transaction commits.

        ``_trigger`` writes an ``ir.cron.trigger`` row in this transaction and, after
        COMMIT, notifies the cron workers (PostgreSQL NOTIFY): they start the job at
        once instead of at its next minute. A rollback drops the trigger with the change.
        """
        cron = self.env.ref(CRON_XMLID, raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger()

    @api.model
    def _gassistant_schedule_run(self, at, since):
        """Ask for a delivery run at ``at`` (UTC), unless one is already asked for.

        Odoo keeps every trigger it is given, so a run that plans the next one first
        looks for a trigger after ``since`` (the start of this run: Odoo removes the
        older ones when the run ends) and no later than ``at``; one is enough.

        A trigger due now wakes the cron workers at COMMIT. A later one does not: Odoo
        17.0 runs it at the first moment its cron workers wake after ``at`` (any
        trigger due now in a database of the same PostgreSQL server, or their poll,
        once a minute).
        """
        cron = self.env.ref(CRON_XMLID, raise_if_not_found=False)
        if not cron:
            return
        asked = self.env["ir.cron.trigger"].sudo().search_count(
            [
                ("cron_id", "=", cron.id),
                ("call_at", ">", since),
                ("call_at", "<=", at),
            ],
            limit=1,
        )
        if not asked:
            cron.sudo()._trigger(at)

    # ------------------------------------------------------------------
    # Delivery (cron)
    # ------------------------------------------------------------------

    @api.model
    def _cron_gassistant_deliver(self, time_budget=RUN_BUDGET):
        """Cron: send what the plan allows, oldest first, then ask for the next run
        (tools/delivery_plan).

        The only sender: Odoo runs one instance of a cron job at a time, so deliveries
        of one record cannot overtake each other. Returns how the run ended.
        """
        config = self._gassistant_config()
        if not config["enabled"] or not config["url"] or not config["secret"]:
            return delivery_plan.IDLE
        now = fields.Datetime.now()
        # Only what the plan needs: bodies are read a batch at a time when sent.
        rows = self.search_fetch(
            [("state", "=", "pending")],
            PLAN_FIELDS,
            order="id",
            limit=RUN_READ_LIMIT,
        )
        by_id = {row.id: row for row in rows}
        deadline = time.monotonic() + time_budget
        result = delivery_plan.run(
            [row._gassistant_plan_item(now) for row in rows],
            lambda item, probe: by_id[item.id]._gassistant_send(config, probe),
            lambda: time.monotonic() < deadline,
        )
        if result == delivery_plan.DONE and len(rows) == RUN_READ_LIMIT:
            result = delivery_plan.MORE  # the rows this run did not read
        ended = fields.Datetime.now()
        next_retry = None
        if result in (delivery_plan.DONE, delivery_plan.IDLE):
            waiting = self.search_fetch(
                [("state", "=", "pending"), ("next_attempt_at", ">", ended)],
                ["next_attempt_at"],
                order="next_attempt_at",
                limit=1,
            )
            next_retry = waiting.next_attempt_at or None
        at = delivery_plan.next_run(
            result, ended, config["probe_interval"], next_retry
        )
        if at:
            self._gassistant_schedule_run(at, since=now)
        return result

    def _gassistant_plan_item(self, now):
        """This row as ``delivery_plan`` sees it."""
        self.ensure_one()
        hub_failed = (
            not self.last_attempt_at
            or backoff.outcome(self.last_status_code) == backoff.HUB_DOWN
        )
        return delivery_plan.Pending(
            id=self.id,
            key=(self.res_model, self.res_id),
            due=not self.next_attempt_at or self.next_attempt_at <= now,
            hub_failed=hub_failed,
            probe_ok=hub_failed and self.last_status_code != 429,
        )

    def _gassistant_send(self, config, probe=False):
        """One attempt for one row; records it and returns its ``backoff.outcome``.

        :param probe: the attempt only checks whether a hub that was down is back: a
            failure is recorded but neither counted nor moves the next attempt
        """
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
        result = backoff.outcome(status)
        vals = {
            "last_attempt_at": now,
            "last_status_code": status,
            "last_error": error,
        }
        if result == backoff.SENT:
            vals.update(
                state="sent",
                sent_at=now,
                next_attempt_at=False,
                attempts=self.attempts + 1,
            )
            _logger.info(
                "G-Assistant: delivered %s %s (HTTP %s)", self.event, self.uuid, status
            )
        elif result == backoff.REFUSED:
            vals.update(
                state="failed", next_attempt_at=False, attempts=self.attempts + 1
            )
            _logger.warning(
                "G-Assistant: hub refused %s %s (HTTP %s); not retried",
                self.event,
                self.uuid,
                status,
            )
        elif probe:
            _logger.info(
                "G-Assistant: hub still unavailable (%s); %s %s waits",
                status or "no answer",
                self.event,
                self.uuid,
            )
        else:
            vals.update(self._gassistant_retry_vals(config, now, retry_after))
        self.write(vals)
        return result

    def _gassistant_retry_vals(self, config, now, retry_after):
        """A counted failed attempt: schedule the next one, or give up at the limit."""
        attempts = self.attempts + 1
        if attempts >= config["max_attempts"]:
            _logger.warning(
                "G-Assistant: giving up %s %s after %s attempts",
                self.event,
                self.uuid,
                attempts,
            )
            return {"attempts": attempts, "state": "failed", "next_attempt_at": False}
        delay = min(max(backoff.retry_delay(attempts), retry_after), backoff.MAX_DELAY)
        next_attempt_at = now + timedelta(seconds=delay)
        _logger.info(
            "G-Assistant: delivery of %s %s failed (attempt %s), retry at %s",
            self.event,
            self.uuid,
            attempts,
            next_attempt_at,
        )
        return {"attempts": attempts, "next_attempt_at": next_attempt_at}

    # ------------------------------------------------------------------
    # Housekeeping
    # ------------------------------------------------------------------

    @api.autovacuum
    def _gc_sent_deliveries(self):
        """Daily: remove sent rows older than the configured age (default 30 days).

        Their bodies hold the leads' emails and phone numbers, which must not outlive
        their use. Pending and failed rows are kept: they still need the hub or a human.
        """
        days = self._gassistant_config()["keep_sent_days"]
        cutoff = fields.Datetime.now() - timedelta(days=days)
        rows = self.search(
            [("state", "=", "sent"), ("sent_at", "<", cutoff)],
            limit=models.GC_UNLINK_LIMIT,
        )
        if len(rows) >= models.GC_UNLINK_LIMIT:
            self.env.ref("base.autovacuum_job")._trigger()
        rows.unlink()

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
            self._gassistant_wake_cron()
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
