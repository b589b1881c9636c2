# Copyright 2026 G-Assistant
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests.common import BaseCase, tagged

from ..tools import signature

# Exact bytes of the shared fixture odoo-addon-lead-updated.json and its documented
# header (fixtures/README.md): the hub's verifier is tested against the same case.
FIXTURE_BODY = (
    '{"event":"lead.updated","timestamp":"2026-01-08T10:30:00Z","data":{"id":123,'
    '"name":"استفسار عن الباقة الذهبية","partner_name":"شركة القحطاني للتجارة",'
    '"email_from":"M.Qahtani@Gmail.com ","phone":"055 123 4567","stage_name":"Qualified",'
    '"expected_revenue":45000.0,"probability":60.0,"source":"Facebook"}}'
).encode("utf-8")
FIXTURE_HEADER = (
    "t=1767868200,v1=b3e1cce0a9ae39e0ccaf855d5afc7798fe16faf9b6c8967594365adf2b127afc"
)


@tagged("post_install", "-at_install")
class TestSignature(BaseCase):
    def test_fixture_header_is_reproduced(self):
        self.assertEqual(len(FIXTURE_BODY), 342)
        self.assertEqual(
            signature.sign("test-odoo-secret", 1767868200, FIXTURE_BODY), FIXTURE_HEADER
        )

    def test_verify_accepts_the_fixture_within_five_minutes_only(self):
        self.assertTrue(
            signature.verify(
                "test-odoo-secret", FIXTURE_HEADER, FIXTURE_BODY, 1767868200 + 299
            )
        )
        self.assertFalse(
            signature.verify(
                "test-odoo-secret", FIXTURE_HEADER, FIXTURE_BODY, 1767868200 + 301
            )
        )

    def test_a_changed_byte_or_secret_breaks_the_signature(self):
        tampered = FIXTURE_BODY.replace(b"60.0", b"61.0")
        self.assertFalse(
            signature.verify("test-odoo-secret", FIXTURE_HEADER, tampered, 1767868200)
        )
        self.assertFalse(
            signature.verify("other-secret", FIXTURE_HEADER, FIXTURE_BODY, 1767868200)
        )

    def test_encode_body_keeps_arabic_as_raw_utf8(self):
        body = signature.encode_body({"name": "محمد", "n": 1.0})
        self.assertEqual(body, '{"name":"محمد","n":1.0}'.encode("utf-8"))

    def test_empty_secret_is_refused(self):
        with self.assertRaises(ValueError):
            signature.sign("", 1767868200, b"{}")
