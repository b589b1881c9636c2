import t from 'tap'
import type { LeadDraft } from '../src/draft.js'
import { assessLead, isDisposableDomain, parseDoNotCallList } from '../src/flags.js'

const base: LeadDraft = {
  channel: 'form',
  externalRef: 'form:abc',
  sourceLabel: 'Web form (x)',
  fields: {},
  answers: [],
  utm: {},
  adFacts: [],
  isTestLead: false,
  submittedAt: '2026-01-08T10:00:00.000Z',
}
const none = { doNotCall: new Set<string>(), testLeads: 'flag' as const }

t.test('a clean lead has no flags', async (t) => {
  t.same(assessLead({ ...base, email: 'a@example.com', phone: '+966551234567' }, none), { flags: [], rejections: [] })
})

t.test('bad and risky contact data is flagged, not dropped', async (t) => {
  const r = assessLead({ ...base, invalidEmail: 'x@y', phone: '+966551234567', isTestLead: true }, {
    doNotCall: parseDoNotCallList('# our DNC list\n055 123 4567\n+971 50 000 0000 # broken? no\n', 'SA'),
    testLeads: 'flag',
  })
  t.same(r.flags, ['INVALID_EMAIL', 'DO_NOT_CALL', 'TEST_LEAD'])
  t.same(r.rejections, [])
  t.same(assessLead({ ...base, email: 'someone@mailinator.com' }, none).flags, ['DISPOSABLE_EMAIL'])
  t.same(assessLead({ ...base, waId: '966', invalidPhone: '+966' }, none).flags, ['INVALID_PHONE'])
})

t.test('a lead nobody can contact is rejected with its reasons', async (t) => {
  const r = assessLead({ ...base, invalidEmail: 'nope', invalidPhone: '123' }, none)
  t.same(r.flags, ['INVALID_EMAIL', 'INVALID_PHONE'])
  t.same(r.rejections, [{ code: 'NO_CONTACT', message: 'no usable email, phone or WhatsApp id: the email is not valid and the phone number is not valid' }])
  t.equal(assessLead(base, none).rejections[0]?.code, 'NO_CONTACT')
})

t.test('test leads are rejected when configured so', async (t) => {
  const r = assessLead({ ...base, email: 'test@fb.com', isTestLead: true }, { ...none, testLeads: 'reject' })
  t.same(r.rejections.map((x) => x.code), ['TEST_LEAD'])
})

t.test('disposable domains include their subdomains', async (t) => {
  t.equal(isDisposableDomain('mailinator.com'), true)
  t.equal(isDisposableDomain('eu.mailinator.com'), true)
  t.equal(isDisposableDomain('gmail.com'), false)
})

t.test('the do-not-call list accepts every local format', async (t) => {
  t.same([...parseDoNotCallList('٠٥٥١٢٣٤٥٦٧\n00971501234567\nnot a number\n', 'SA')], ['+966551234567', '+971501234567'])
})
