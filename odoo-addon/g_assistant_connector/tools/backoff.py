# Copyright 2026 G-Assistant
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Retry schedule of the webhook outbox. Pure, standard library only: never import odoo here."""

# First retry after 30 s, doubling up to 6 h: with the default limit of 12 attempts a
# delivery keeps trying for about 14.5 hours before it is given up (state "failed").
BASE_DELAY = 30
MAX_DELAY = 6 * 3600
DEFAULT_MAX_ATTEMPTS = 12


def retry_delay(attempts, base=BASE_DELAY, cap=MAX_DELAY):
    """Seconds to wait before the next attempt, after ``attempts`` failed ones (>= 1).

    Deterministic (no jitter) on purpose: the cron sends due deliveries one by one in
    creation order, so there is no thundering herd to spread, and operators can read
    the next attempt time in advance.
    """
    if attempts < 1:
        return 0
    return min(cap, base * 2 ** (attempts - 1))


def is_retryable_status(status):
    """HTTP statuses worth retrying: 408, 425, 429 and every 5xx.

    Any other 4xx means the hub refused this delivery (bad signature, invalid payload):
    retrying the same bytes cannot help, an operator must fix the cause and retry by hand.
    """
    return status in (408, 425, 429) or 500 <= status <= 599
