import t from 'tap'
import {
  createEvent,
  encodeEvent,
  EventSchemas,
  EventType,
  identifyEvent,
  parseEvent,
  validateEvent,
  validateEventOf,
  type DataOf,
  type EventTypeName,
} from '@gassistant/contracts'

const arabicName = '  محمد عبدالله القحطاني '
const arabicText = 'مرحبا، شفت الإعلان وعايز أعرف التفاصيل 🙏 — price?'

/** One valid `data` per event type: the table of examples the suite walks. */
const validData: { [T in EventTypeName]: DataOf<T> } = {
  'inbound.meta.leadgen.v1': {
    leadgenId: '2100000000000001',
    pageId: '104857600112233',
    formId: '987654321098765',
    adId: '120210000000000013',
    createdTime: 1767868290,
  },
  'inbound.whatsapp.message.v1': {
    messageId: 'wamid.HBgMMjAxMDAxMjM0NTY3FQIAEhggQUM5QzQ2RjE4QjdFNEEwMkI1AA==',
    waId: '201001234567',
    profileName: 'أحمد علي',
    phoneNumberId: '106540352242922',
    timestamp: '2026-01-08T10:34:20.000Z',
    messageType: 'text',
    text: arabicText,
    referral: { sourceType: 'ad', sourceId: '120210000000000011', headline: 'عرض رمضان: خصم 30%' },
  },
  'inbound.form.submitted.v1': {
    formKey: 'landing-riyadh',
    submissionId: 'f1b2c3',
    submittedAt: '2026-01-08T10:30:00.000Z',
    fields: { name: arabicName, phone: '0551234567' },
    utm: { source: 'google', medium: 'cpc', campaign: 'رمضان' },
  },
  'inbound.odoo.lead.v1': {
    action: 'lead.stage_changed',
    database: 'crm',
    occurredAt: '2026-01-08T10:30:00.000Z',
    lead: { id: 123, name: 'استفسار عن الباقة الذهبية', stage: { id: 2, name: 'Qualified' }, writeDate: '2026-01-08 10:30:00' },
  },
  'inbound.odoo.lead.message_posted.v1': {
    database: 'crm',
    occurredAt: '2026-01-08T10:41:07.000Z',
    lead: { id: 123, name: 'استفسار عن الباقة الذهبية', user: { id: 2, name: 'سارة خالد' } },
    message: { id: 5120, kind: 'note', user: { id: 2, name: 'سارة خالد', email: 'sara@example.sa' } },
  },
  'inbound.odoo.order.v1': {
    action: 'order.quotation_sent',
    database: 'crm',
    occurredAt: '2026-01-08T10:30:00.000Z',
    order: { id: 7, name: 'S00007', state: 'sent', amountTotal: 45000, opportunityId: 123, writeDate: '2026-01-08 10:30:00' },
  },
  'lead.synced.v1': {
    outcome: 'created',
    leadId: 42,
    externalRef: 'meta:2100000000000001',
    channel: 'meta',
    sourceEventId: 'meta:2100000000000001',
    flags: [],
    lead: { name: 'محمد عبدالله القحطاني', phone: '+966551234567', countryCode: 'SA' },
  },
  'lead.rejected.v1': {
    channel: 'form',
    sourceEventId: 'form:abc',
    reasons: [{ code: 'NO_CONTACT', message: 'no usable email, phone or WhatsApp id' }],
    flags: ['INVALID_EMAIL', 'INVALID_PHONE'],
  },
  'lead.scored.v1': {
    leadId: 42,
    score: 80,
    tier: 'hot',
    breakdown: [{ rule: 'budget', points: 30, reason: 'budget above 10,000' }],
    sourceEventId: 'x',
  },
  'notification.requested.v1': {
    dedupeKey: 'hot-lead:42',
    channel: 'slack',
    recipient: { userEmail: 'rep@example.com' },
    text: 'عميل محتمل ساخن: محمد',
  },
  'notification.delivered.v1': {
    dedupeKey: 'hot-lead:42',
    channel: 'slack',
    target: 'C0123',
    messageTs: '1767868200.000100',
    requestEventId: 'n1',
  },
  'notification.failed.v1': { dedupeKey: 'hot-lead:42', channel: 'slack', reason: 'channel_not_found', requestEventId: 'n1' },
  'inbound.slack.action.v1': {
    action: 'contacted',
    leadId: 42,
    slackUserId: 'U0SARA0001',
    slackTeamId: 'T0HUB00001',
    channel: 'D0SARA0001',
    messageTs: '1767868200.000100',
    actionTs: '1767868260.123456',
  },
}

t.test('every event type of the design has a schema, a constant and a valid example', async (t) => {
  t.same(Object.keys(EventSchemas).sort(), Object.values(EventType).sort())
  for (const type of Object.keys(EventSchemas) as EventTypeName[]) {
    const event = createEvent({ type, source: '/test', data: validData[type] as never })
    const result = parseEvent(encodeEvent(event))
    t.ok(result.ok, `${type} round-trips through the wire`)
    if (result.ok) t.same(result.event, event, `${type} comes back equal`)
  }
})

t.test('an invalid example of every type is refused with the offending field named', async (t) => {
  for (const type of Object.keys(EventSchemas) as EventTypeName[]) {
    const event = createEvent({ type, source: '/test', data: validData[type] as never })
    const broken = { ...event, data: { ...event.data } } as Record<string, unknown> & { data: Record<string, unknown> }
    const [firstKey] = Object.keys(broken.data)
    broken.data[firstKey!] = { not: 'valid' }
    const result = validateEvent(broken)
    t.equal(result.ok, false, `${type} with a bad ${firstKey} is refused`)
    if (!result.ok) t.equal(result.error.field, `/data/${firstKey}`, `${type} names /data/${firstKey}`)
  }
})

t.test('a missing required field is named', async (t) => {
  const event = createEvent({ type: EventType.MetaLeadgen, source: '/ingress', data: validData['inbound.meta.leadgen.v1'] })
  const { leadgenId: _dropped, ...data } = event.data
  const result = validateEvent({ ...event, data })
  t.equal(result.ok, false)
  if (!result.ok) {
    t.equal(result.error.code, 'CONTRACT_VIOLATION')
    t.match(result.error.message, /leadgenId/)
  }
})

t.test('Meta ids must be decimal strings, so ids above 2^53 are never rounded', async (t) => {
  const event = createEvent({ type: EventType.MetaLeadgen, source: '/ingress', data: validData['inbound.meta.leadgen.v1'] })
  const asNumber = validateEvent({ ...event, data: { ...event.data, adId: Number('120210000000000013') } })
  t.equal(asNumber.ok, false)
  if (!asNumber.ok) t.equal(asNumber.error.field, '/data/adId')
  const decoded = parseEvent(encodeEvent(event))
  t.equal(decoded.ok && decoded.event.type === EventType.MetaLeadgen && decoded.event.data.adId, '120210000000000013')
})

t.test('Arabic text and emoji round-trip byte for byte', async (t) => {
  const event = createEvent({
    type: EventType.WhatsAppMessage,
    source: '/ingress',
    data: validData['inbound.whatsapp.message.v1'],
  })
  const wire = encodeEvent(event)
  t.ok(wire.includes(Buffer.from(arabicText, 'utf8')), 'the UTF-8 bytes of the text are on the wire unescaped')
  const decoded = parseEvent(wire)
  t.ok(decoded.ok)
  if (decoded.ok && decoded.event.type === EventType.WhatsAppMessage) {
    t.equal(Buffer.compare(Buffer.from(decoded.event.data.text ?? '', 'utf8'), Buffer.from(arabicText, 'utf8')), 0)
    t.equal(decoded.event.data.profileName, 'أحمد علي')
  }
  t.same(encodeEvent(decoded.ok ? decoded.event : event), wire, 're-encoding gives the same bytes')
})

t.test('unknown extra fields are tolerated and kept (tolerant reader)', async (t) => {
  const event = createEvent({ type: EventType.LeadSynced, source: '/lead-processor', data: validData['lead.synced.v1'] })
  const enriched = { ...event, partitionkey: 'p1', data: { ...event.data, addedInV1_1: true } }
  const result = validateEvent(enriched)
  t.ok(result.ok, 'an enriched event from a newer publisher is accepted')
  if (result.ok) {
    t.equal((result.event as Record<string, unknown>)['partitionkey'], 'p1', 'extension attributes are kept')
    t.equal((result.event.data as Record<string, unknown>)['addedInV1_1'], true, 'extra data fields are kept')
  }
})

t.test('envelope problems are named', async (t) => {
  const event = createEvent({ type: EventType.LeadScored, source: '/scoring', data: validData['lead.scored.v1'] })
  const cases: [unknown, string][] = [
    [{ ...event, specversion: '0.3' }, '/specversion'],
    [{ ...event, time: 'yesterday' }, '/time'],
    [{ ...event, type: 'lead.exploded.v9' }, '/type'],
    [{ ...event, id: '' }, '/id'],
    ['not an object', '/'],
  ]
  for (const [value, field] of cases) {
    const result = validateEvent(value)
    t.equal(result.ok ? 'accepted' : result.error.field, field, `names ${field}`)
  }
})

t.test('bytes that are not JSON or not UTF-8 are refused, not thrown', async (t) => {
  const notJson = parseEvent('{"specversion":')
  t.equal(!notJson.ok && notJson.error.message, '/ is not valid JSON')
  const notUtf8 = parseEvent(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))
  t.equal(!notUtf8.ok && notUtf8.error.message, '/ is not valid UTF-8')
})

t.test('identifyEvent reads id, type and correlation id from a body that fails its contract, and never throws', async (t) => {
  const invalid = Buffer.from(JSON.stringify({ id: 'meta:1', type: 'lead.synced.v1', correlationid: 'c-1', data: { leadId: 'not a number' } }))
  t.equal(parseEvent(invalid).ok, false, 'the body fails its contract')
  t.same(identifyEvent(invalid), { id: 'meta:1', type: 'lead.synced.v1', correlationid: 'c-1' })
  t.same(identifyEvent('{"id":42,"type":"x"}'), { type: 'x' }, 'only string attributes count')
  for (const garbage of ['{"id":', 'null', '"text"', Buffer.from([0xff, 0xfe])]) t.same(identifyEvent(garbage), {}, 'garbage identifies as nothing')
})

t.test('validateEventOf refuses an event of another type', async (t) => {
  const event = createEvent({ type: EventType.LeadScored, source: '/scoring', data: validData['lead.scored.v1'] })
  const result = validateEventOf(EventType.LeadSynced, event)
  t.equal(result.ok ? 'accepted' : result.error.field, '/type')
})

t.test('createEvent fills the envelope; validation is left to validateEvent (and bus.publish)', async (t) => {
  const event = createEvent({
    type: EventType.MetaLeadgen,
    source: '/ingress',
    id: 'meta:2100000000000001',
    subject: 'meta:2100000000000001',
    time: new Date('2026-01-08T10:30:00.000Z'),
    data: validData['inbound.meta.leadgen.v1'],
  })
  t.match(event, {
    specversion: '1.0',
    id: 'meta:2100000000000001',
    type: 'inbound.meta.leadgen.v1',
    time: '2026-01-08T10:30:00.000Z',
    datacontenttype: 'application/json',
    correlationid: 'meta:2100000000000001',
  })
  const invalid = createEvent({ type: EventType.LeadScored, source: '/scoring', data: { ...validData['lead.scored.v1'], score: 101 } })
  const result = validateEvent(invalid)
  t.equal(result.ok ? 'accepted' : result.error.field, '/data/score', 'the one validation names the field')
})
