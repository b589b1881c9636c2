import { readFileSync } from 'node:fs'
import t from 'tap'
import { SIGNATURE_TOLERANCE_SECONDS, signGAssistant, verifyGAssistant } from '@gassistant/contracts'

interface Vector { description: string; secret: string; timestamp: number; body: string; header: string }
// The vectors the Odoo addon's signer is tested against too (odoo-addon/tests_ci).
const vectors = JSON.parse(readFileSync(new URL('../test-vectors/gassistant-signature.json', import.meta.url), 'utf8')) as Vector[]

t.test('every shared vector: signed identically, verified, and refused once tampered or under another secret', async (t) => {
  t.ok(vectors.length >= 7, 'the vector file is there')
  for (const vector of vectors) {
    const body = Buffer.from(vector.body, 'utf8')
    t.equal(signGAssistant(vector.secret, vector.timestamp, body), vector.header, `${vector.description}: signs identically`)
    t.equal(signGAssistant(vector.secret, vector.timestamp, vector.body), vector.header, `${vector.description}: a string body is its UTF-8 bytes`)
    t.equal(verifyGAssistant(vector.header, body, vector.secret, vector.timestamp), undefined, `${vector.description}: verifies`)
    t.equal(verifyGAssistant(vector.header, Buffer.concat([body, Buffer.from(' ')]), vector.secret, vector.timestamp), 'mismatch', `${vector.description}: tampered body refused`)
    t.equal(verifyGAssistant(vector.header, body, `${vector.secret}x`, vector.timestamp), 'mismatch', `${vector.description}: other secret refused`)
  }
})

t.test('the time window is checked after the signature, ±5 minutes either way', async (t) => {
  const [vector] = vectors
  if (!vector) return t.fail('no vector')
  const at = (offset: number) => verifyGAssistant(vector.header, vector.body, vector.secret, vector.timestamp + offset)
  t.equal(at(SIGNATURE_TOLERANCE_SECONDS), undefined, 'exactly 5 minutes later: accepted')
  t.equal(at(SIGNATURE_TOLERANCE_SECONDS + 1), 'too_old')
  t.equal(at(-SIGNATURE_TOLERANCE_SECONDS - 1), 'in_future')
  const forged = vector.header.replace(/v1=[0-9a-f]{64}/, `v1=${'0'.repeat(64)}`)
  t.equal(verifyGAssistant(forged, vector.body, vector.secret, vector.timestamp + 3600), 'mismatch', 'a forged old header says nothing about the clock')
})

t.test('missing and malformed headers; a rotated secret may add a second v1', async (t) => {
  const body = '{"event":"test.ping"}'
  t.equal(verifyGAssistant(undefined, body, 'secret-1', 1_767_868_200), 'missing')
  for (const header of ['', 'v1=abc', 't=1767868200', 't=soon,v1=' + 'a'.repeat(64), 'sha256=' + 'a'.repeat(64)]) {
    t.equal(verifyGAssistant(header, body, 'secret-1', 1_767_868_200), 'malformed', JSON.stringify(header))
  }
  const old = signGAssistant('secret-0', 1_767_868_200, body)
  const current = signGAssistant('secret-1', 1_767_868_200, body).replace(/^t=\d+,/, '')
  t.equal(verifyGAssistant(`${old},${current}`, body, 'secret-1', 1_767_868_200), undefined, 'the new secret matches the second v1')
  t.equal(verifyGAssistant(`${old},${current.toUpperCase().replace('V1', 'v1')}`, body, 'secret-1', 1_767_868_200), undefined, 'hex case does not matter')
})
