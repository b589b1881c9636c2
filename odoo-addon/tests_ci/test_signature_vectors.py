"""The addon's signer against the shared test vectors (no odoo import).

libs/contracts/test-vectors/gassistant-signature.json is also what the hub's
TypeScript verifier is tested against, so the two sides cannot drift apart.
"""

import json
import unittest

from ._addons import VECTORS, load_tools

signature = load_tools().signature


class TestSharedVectors(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.vectors = json.loads(VECTORS.read_text(encoding="utf-8"))

    def test_the_file_has_the_fixture_case_and_arabic_bodies(self):
        self.assertGreaterEqual(len(self.vectors), 5)
        headers = [v["header"] for v in self.vectors]
        self.assertIn(
            "t=1767868200,v1=b3e1cce0a9ae39e0ccaf855d5afc7798fe16faf9b6c8967594365adf2b127afc",
            headers,
        )
        self.assertTrue(any("القحطاني" in v["body"] for v in self.vectors))
        for vector in self.vectors:
            self.assertEqual(
                set(vector) - {"description"}, {"secret", "timestamp", "body", "header"}
            )

    def test_signer_reproduces_every_header(self):
        for vector in self.vectors:
            with self.subTest(case=vector.get("description")):
                body = vector["body"].encode("utf-8")
                self.assertEqual(
                    signature.sign(vector["secret"], vector["timestamp"], body),
                    vector["header"],
                )

    def test_verifier_accepts_each_case_and_rejects_a_flipped_byte(self):
        for vector in self.vectors:
            body = vector["body"].encode("utf-8")
            with self.subTest(case=vector.get("description")):
                self.assertTrue(
                    signature.verify(
                        vector["secret"], vector["header"], body, vector["timestamp"]
                    )
                )
                self.assertFalse(
                    signature.verify(
                        vector["secret"],
                        vector["header"],
                        body + b" ",
                        vector["timestamp"],
                    )
                )
                self.assertFalse(
                    signature.verify(
                        vector["secret"],
                        vector["header"],
                        body,
                        vector["timestamp"] + 301,
                    )
                )

    def test_encode_body_is_compact_raw_utf8(self):
        self.assertEqual(
            signature.encode_body({"a": "سارة", "b": [1, 2.5]}),
            '{"a":"سارة","b":[1,2.5]}'.encode("utf-8"),
        )


if __name__ == "__main__":
    unittest.main()
