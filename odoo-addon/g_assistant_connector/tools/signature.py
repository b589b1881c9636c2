# Copyright 2026 G-Assistant
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Signing of the webhooks this addon sends to the G-Assistant hub.

Pure functions, standard library only: this file must never import odoo, because the
project's CI loads it by path (odoo-addon/tests_ci) and checks it against the shared
test vectors (libs/contracts/test-vectors/gassistant-signature.json) that the hub's
TypeScript verifier is tested against too.

Scheme (DESIGN.md "Signed webhooks"):
``X-GAssistant-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>``
"""

import hashlib
import hmac
import json

SIGNATURE_HEADER = "X-GAssistant-Signature"


def encode_body(payload):
    """Serialise a payload to the exact bytes that are signed and sent.

    Compact separators and raw UTF-8 (``ensure_ascii=False``) so Arabic text reaches
    the hub unescaped, as in the shared fixture ``odoo-addon-lead-updated.json``.
    """
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def _as_bytes(value):
    return value.encode("utf-8") if isinstance(value, str) else bytes(value)


def compute_signature(secret, timestamp, body):
    """Hex HMAC-SHA256 of ``"<timestamp>.<body>"`` keyed with ``secret``."""
    message = str(int(timestamp)).encode("ascii") + b"." + _as_bytes(body)
    return hmac.new(_as_bytes(secret), message, hashlib.sha256).hexdigest()


def sign(secret, timestamp, body):
    """Value of the ``X-GAssistant-Signature`` header for ``body`` sent at ``timestamp``.

    :param secret: shared secret (str or bytes); must not be empty
    :param timestamp: unix seconds (int; a float is truncated)
    :param body: the raw request body (bytes, or str encoded as UTF-8)
    """
    if not secret:
        raise ValueError("the webhook secret is empty")
    return "t={},v1={}".format(
        int(timestamp), compute_signature(secret, timestamp, body)
    )


def verify(secret, header, body, now, tolerance=300):
    """Check a header the way the hub does (the hub-ready route, tests).

    Returns True when the header is well formed, its timestamp is within
    ``tolerance`` seconds of ``now`` and one ``v1`` matches.
    """
    parts = {}
    for item in (header or "").split(","):
        key, sep, value = item.strip().partition("=")
        if sep:
            parts.setdefault(key, []).append(value)
    try:
        timestamp = int(parts["t"][0])
    except (KeyError, ValueError):
        return False
    if abs(int(now) - timestamp) > tolerance:
        return False
    expected = compute_signature(secret, timestamp, body)
    return any(hmac.compare_digest(expected, v) for v in parts.get("v1", []))
