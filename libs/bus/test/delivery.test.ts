// What one delivery logs: enough for ops to find the event, never the personal data a failure quotes.
import t from 'tap'
import { createEvent, encodeEvent, EventType } from '@gassistant/contracts'
import { maskReason, runDelivery } from '../src/delivery.js'
import { DEFAULT_RETRY, park } from '../src/types.js'

function recordingLog() {
  const lines: { level: string; fields: Record<string, unknown> }[] = []
  const at = (level: string) => (fields: Record<string, unknown>) => void lines.push({ level, fields })
  return { lines, log: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') } }
}

t.test('emails and phone numbers quoted in a failure reason are masked', async (t) => {
  t.equal(
    maskReason('Odoo refused lead of m.qahtani@gmail.com (+966 55 123 4567): duplicate'),
    'Odoo refused lead of m.***@gmail.com (***4567): duplicate',
  )
  t.equal(maskReason('wa:966567654321 parked'), 'wa:***4321 parked')
  t.equal(maskReason('attempt 3 of 6 timed out after 10000 ms'), 'attempt 3 of 6 timed out after 10000 ms', 'short numbers stay')
})

t.test('a parked event logs its ids and a masked reason', async (t) => {
  const { lines, log } = recordingLog()
  const event = createEvent({
    type: EventType.LeadRejected,
    source: '/test',
    id: 'form:abc',
    data: { channel: 'form', sourceEventId: 'form:abc', reasons: [{ code: 'NO_CONTACT', message: 'x' }], flags: [] },
  })
  const action = await runDelivery({
    body: encodeEvent(event),
    attempt: 1,
    service: 'svc',
    handler: async () => park('Odoo: Another lead already has sara@example.com'),
    policy: DEFAULT_RETRY,
    now: () => new Date(),
    signal: new AbortController().signal,
    log,
  })
  t.equal(action.kind, 'park')
  t.match(lines[0], { level: 'error', fields: { event_id: 'form:abc', type: 'lead.rejected.v1', correlation_id: 'form:abc', outcome: 'park' } })
  t.equal(lines[0]?.fields['reason'], 'Odoo: Another lead already has sa***@example.com')
})

t.test('an invalid event is logged with whatever ids it carries', async (t) => {
  const { lines, log } = recordingLog()
  const body = Buffer.from(JSON.stringify({ specversion: '1.0', id: 'meta:1', type: 'inbound.meta.leadgen.v1', correlationid: 'c-1', data: {} }))
  const action = await runDelivery({ body, attempt: 1, service: 'svc', handler: async () => park('never'), policy: DEFAULT_RETRY, now: () => new Date(), signal: new AbortController().signal, log })
  t.equal(action.kind, 'park')
  t.match(lines[0]?.fields, { event_id: 'meta:1', type: 'inbound.meta.leadgen.v1', correlation_id: 'c-1', outcome: 'park' })
})
