# Copyright 2026 G-Assistant
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""``POST /gassistant/hub-ready``: the hub is back, send what waits for it now.

Odoo 17.0 wakes its cron workers for a trigger that is due now, or else once a minute:
a delivery run's own probe, planned a few seconds later, waits for that minute in an
idle Odoo. A hub that calls this route when it starts gets the backlog within moments.

Must never: do anything but wake the delivery cron (no data in or out), act on a call
that is not signed with the shared secret, log the secret or the signature.
"""

import json
import logging
import time

from odoo import http
from odoo.http import request

from ..tools import signature

_logger = logging.getLogger(__name__)

READY_EVENT = "hub.ready"
MAX_BODY = 1024


class GassistantHubReady(http.Controller):
    @http.route(
        "/gassistant/hub-ready",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def hub_ready(self):
        outbox = request.env["gassistant.outbox"].sudo()
        config = outbox._gassistant_config()
        if not config["enabled"] or not config["url"] or not config["secret"]:
            return _answer(409, error="the G-Assistant connector is not enabled")
        body = request.httprequest.get_data()
        if len(body) > MAX_BODY:
            return _answer(413, error="the body is larger than %s bytes" % MAX_BODY)
        header = request.httprequest.headers.get(signature.SIGNATURE_HEADER)
        if not signature.verify(config["secret"], header, body, time.time()):
            return _answer(
                401, error="missing or invalid %s" % signature.SIGNATURE_HEADER
            )
        try:
            event = json.loads(body).get("event")
        except (ValueError, AttributeError):
            event = None
        if event != READY_EVENT:
            return _answer(
                400, error='the body must be a JSON object with "event": "hub.ready"'
            )
        outbox._gassistant_wake_cron()
        _logger.info("G-Assistant: the hub is ready again, delivery cron woken")
        return _answer(202, woken=True)


def _answer(status, **body):
    return request.make_json_response(body, status=status)
