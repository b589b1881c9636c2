# Copyright 2026 G-Assistant
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Retry policy of the webhook outbox. Pure, standard library only: never import odoo here."""

# First retry after 30 s, doubling up to 6 h: with the default limit of 12 attempts a
# delivery keeps trying for about 14.5 hours before it is given up (state "failed").
# These are the delays of a delivery the hub itself failed on; deliveries that only
# waited because the hub was down are sent as soon as it answers again (delivery_plan).
BASE_DELAY = 30
MAX_DELAY = 6 * 3600
DEFAULT_MAX_ATTEMPTS = 12

# While the hub is down, a delivery run asks for the next one this many seconds after
# it ends: one probe request (not counted as an attempt) per interval. The minimum keeps
# a misconfigured interval from turning the cron into a busy loop.
PROBE_INTERVAL = 10
MIN_PROBE_INTERVAL = 2

# What one attempt tells the outbox (see ``outcome``).
SENT = "sent"
REFUSED = "refused"
ROW_FAILED = "row_failed"
HUB_DOWN = "hub_down"

# The hub is down, overloaded or restarting: nothing reached it, or a proxy/gateway
# answered for it. 408/425/429 ask to come back later.
HUB_DOWN_STATUSES = (408, 425, 429, 502, 503, 504)


def retry_delay(attempts, base=BASE_DELAY, cap=MAX_DELAY):
    """Seconds to wait before the next attempt, after ``attempts`` failed ones (>= 1).

    Deterministic (no jitter) on purpose: one cron job sends every delivery of the
    database, so there is no thundering herd to spread, and operators can read the
    next attempt time in advance.
    """
    if attempts < 1:
        return 0
    return min(cap, base * 2 ** (attempts - 1))


def outcome(status):
    """Classify one attempt by its HTTP status (0: no answer: refused, timed out).

    - ``SENT``: 2xx, the hub took it;
    - ``REFUSED``: any other 4xx: the hub refused these bytes (bad signature, invalid
      payload); retrying cannot help, an operator must fix the cause and retry by hand;
    - ``HUB_DOWN``: no answer, 502/503/504 from a proxy, 408/425/429: the hub cannot
      take anything now, so a delivery run stops here;
    - ``ROW_FAILED``: another 5xx: the hub answered but failed on this delivery; the
      others are still worth sending, this one is retried later.
    """
    if 200 <= status <= 299:
        return SENT
    if not status or status in HUB_DOWN_STATUSES:
        return HUB_DOWN
    if 500 <= status <= 599:
        return ROW_FAILED
    return REFUSED
