# Copyright 2026 G-Assistant
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Which pending webhooks one delivery run sends, and in what order.

Pure, standard library only: never import odoo here (the project's CI tests it by path).

Rules (README "How delivery works"):

- the deliveries of one record leave in the order they were queued: a later one never
  overtakes an earlier one that is still pending;
- until the hub has answered in this run, the run makes one request: the oldest due
  delivery that heads its record or, when none is due, the oldest one that waits only
  for the hub, as a *probe* (not counted as an attempt of that delivery);
- once the hub has answered, everything that waited only because the hub was down is
  sent at once, oldest first (the catch-up); a delivery the hub itself failed on
  (``ROW_FAILED``) keeps its own retry time, and the later ones of its record wait
  behind it;
- the run stops at the first sign that the hub is down again, or when its time is up;
- then it asks for the next run (``next_run``): at once when it stopped for time, one
  probe interval later when the hub is down, at the next retry time when deliveries
  wait for one, never when nothing waits (the next change wakes the cron).
"""

from collections import namedtuple
from datetime import timedelta

from .backoff import HUB_DOWN, ROW_FAILED

# One pending delivery as the plan sees it.
#   id:         creation order (the outbox row id)
#   key:        the record it is about, e.g. ("crm.lead", 42)
#   due:        its next attempt time has come
#   hub_failed: it never failed, or only because the hub was down (so it may go as soon
#               as the hub answers)
#   probe_ok:   it may serve as the probe (waits for the hub; the hub did not ask to
#               slow down with a 429)
Pending = namedtuple("Pending", "id key due hub_failed probe_ok")

# How a run ended.
IDLE = "idle"  # nothing may be sent now
DONE = "done"  # everything that could be sent was tried
HUB_IS_DOWN = "hub_down"  # stopped: the hub does not answer
MORE = "more"  # stopped: time is up, more can be sent at once


def run(pending, send, time_left=lambda: True):
    """Send what ``pending`` allows, in order, through ``send``.

    :param pending: ``Pending`` items, oldest first
    :param send: ``send(item, probe)`` makes one attempt and returns its outcome
        (``backoff.SENT``, ``REFUSED``, ``ROW_FAILED`` or ``HUB_DOWN``)
    :param time_left: called before each catch-up attempt; False ends the run
    :return: ``IDLE``, ``DONE``, ``HUB_IS_DOWN`` or ``MORE``
    """
    pending = list(pending)
    heads = {}
    for item in pending:
        heads.setdefault(item.key, item.id)
    first = [item for item in pending if heads[item.key] == item.id]
    opener = next((item for item in first if item.due), None)
    probe = opener is None
    if probe:
        opener = next((item for item in first if item.probe_ok), None)
    if opener is None:
        return IDLE
    result = send(opener, probe)
    if result == HUB_DOWN:
        return HUB_IS_DOWN
    held = {opener.key} if result == ROW_FAILED else set()
    for item in pending:
        if item.id == opener.id or item.key in held:
            continue
        if not (item.due or item.hub_failed):
            held.add(item.key)  # the hub failed on it: it waits for its retry time
            continue
        if not time_left():
            return MORE
        result = send(item, False)
        if result == HUB_DOWN:
            return HUB_IS_DOWN
        if result == ROW_FAILED:
            held.add(item.key)
    return DONE


def next_run(result, ended, probe_interval, next_retry=None):
    """When the delivery cron should run again after a run that ended with ``result``.

    :param ended: when the run ended (datetime)
    :param probe_interval: seconds between two probes of a hub that is down
    :param next_retry: the earliest retry time after ``ended`` of a pending delivery,
        or None
    :return: a datetime, or None when nothing waits
    """
    if result == MORE:
        return ended
    interval = timedelta(seconds=probe_interval)
    if result == HUB_IS_DOWN:
        return ended + interval
    if next_retry is None:
        return None
    # never sooner than a probe interval: a run per retry time, not a busy loop
    return max(next_retry, ended + interval)
