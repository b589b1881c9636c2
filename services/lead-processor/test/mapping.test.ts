import t from 'tap'
import type { DataOf } from '@gassistant/contracts'
import type { GraphLead } from '../src/graph/types.js'
import { mapMetaLead } from '../src/mapping/meta-form.js'
import { formRef, mapFormSubmission } from '../src/mapping/web-form.js'
import { mapWhatsAppMessage } from '../src/mapping/whatsapp.js'
import { fixtureJson } from '@gassistant/test-support'

/** crm.lead fields the mapping may fill (a real 17.0 has these and many more). */
const leadFields: ReadonlySet<string> = new Set(['city', 'street', 'zip', 'partner_name', 'function', 'website', 'contact_name', 'email_from', 'phone'])

const leadgen: DataOf<'inbound.meta.leadgen.v1'> = {
  leadgenId: '2100000000000001',
  pageId: '104857600112233',
  formId: '987654321098765',
  adId: '120210000000000011',
  adgroupId: '120210000000000011',
  createdTime: 1767868199,
}

t.test('an Instagram paid lead maps to crm.lead fields, Arabic kept verbatim', async (t) => {
  const draft = mapMetaLead(leadgen, fixtureJson<GraphLead>('meta-lead-graph-response.json'), {
    defaultRegion: 'SA',
    formMapping: {}, leadFields,
  })
  t.equal(draft.externalRef, 'meta:2100000000000001')
  t.equal(draft.contactName, 'محمد عبدالله القحطاني')
  t.equal(draft.email, 'm.qahtani@gmail.com')
  t.equal(draft.phone, '+966551234567')
  t.equal(draft.countryCode, 'SA')
  t.same(draft.fields, { city: 'الرياض' })
  t.same(draft.utm, { source: 'Instagram', medium: 'Paid', campaign: 'حملة رمضان 2026 / Ramadan' })
  t.same(draft.answers, [
    { question: 'ما_هي_ميزانيتك؟', answer: '10,000 - 50,000 ريال' },
    { question: 'when_do_you_plan_to_buy?', answer: 'within_1_month' },
    { question: 'optional_1', answer: 'yes' },
    { question: 'optional_2', answer: 'no' },
  ])
  t.ok(draft.adFacts.some((f) => f.question === 'Ad' && f.answer === 'عرض رمضان - فيديو 1 (120210000000000011)'))
  t.equal(draft.isTestLead, false)
  t.equal(draft.submittedAt, '2026-01-08T10:29:59.000Z')
})

t.test('a per-form mapping file sends custom questions to their Odoo fields', async (t) => {
  const draft = mapMetaLead(leadgen, fixtureJson<GraphLead>('meta-lead-graph-response.json'), {
    defaultRegion: 'SA',
    formMapping: { '987654321098765': { 'when_do_you_plan_to_buy?': 'x_purchase_horizon' } },
    leadFields: new Set([...leadFields, 'x_purchase_horizon']),
  })
  t.same(draft.fields, { city: 'الرياض', x_purchase_horizon: 'within_1_month' })
  t.notOk(draft.answers.some((a) => a.question === 'when_do_you_plan_to_buy?'), 'a mapped answer is not repeated')
})

t.test('an answer mapped to a field this Odoo lacks stays an answer, under its question', async (t) => {
  const draft = mapMetaLead(leadgen, fixtureJson<GraphLead>('meta-lead-graph-response.json'), {
    defaultRegion: 'SA',
    formMapping: { '987654321098765': { 'when_do_you_plan_to_buy?': 'x_purchase_horizon' } },
    leadFields,
  })
  t.same(draft.fields, { city: 'الرياض' }, 'only fields the server has')
  t.same(draft.answers[1], { question: 'when_do_you_plan_to_buy?', answer: 'within_1_month' }, 'in its place among the answers')
})

t.test('a lead read without fields still maps contact data', async (t) => {
  const draft = mapMetaLead({ ...leadgen, leadgenId: '2100000000000003' }, fixtureJson<GraphLead>('meta-lead-graph-response-minimal.json'), {
    defaultRegion: 'SA',
    formMapping: {}, leadFields,
  })
  t.equal(draft.contactName, undefined)
  t.equal(draft.email, 'layla.hassan@example.ae')
  t.equal(draft.phone, '+971501234567')
  t.equal(draft.countryCode, 'AE')
  t.equal(draft.utm.medium, 'Paid', 'the webhook ad id tells a paid lead when is_organic is missing')
  t.equal(draft.utm.source, 'Facebook')
})

t.test("Meta's testing-tool leads are recognised and their dummy values ignored", async (t) => {
  const draft = mapMetaLead({ ...leadgen, leadgenId: '2100000000000009' }, fixtureJson<GraphLead>('meta-lead-graph-response-test-lead.json'), {
    defaultRegion: 'SA',
    formMapping: {}, leadFields,
  })
  t.equal(draft.isTestLead, true)
  t.equal(draft.contactName, undefined)
  t.equal(draft.invalidPhone, undefined, 'a dummy phone is not reported as a bad phone')
  t.same(draft.utm, { source: 'Facebook', medium: 'Organic' })
})

t.test("Meta's test values are recognised with their angle brackets stripped too", async (t) => {
  const lead: GraphLead = {
    id: '2100000000000010',
    is_organic: true,
    field_data: [
      { name: 'full_name', values: ['test lead: dummy data for full_name'] },
      { name: 'email', values: ['test@fb.com'] },
      { name: 'phone_number', values: ['Test Lead: Dummy Data For phone_number'] },
      { name: 'city', values: ['<test lead: dummy data for city>'] },
    ],
  }
  const draft = mapMetaLead(leadgen, lead, { defaultRegion: 'SA', formMapping: {}, leadFields })
  t.equal(draft.isTestLead, true)
  t.equal(draft.contactName, undefined, 'no dummy name')
  t.equal(draft.invalidPhone, undefined, 'no dummy phone')
  t.same(draft.fields, {}, 'no dummy city')
  t.equal(draft.email, 'test@fb.com', 'real values are kept')
})

t.test('first and last names are joined; a two-letter country is kept', async (t) => {
  const lead: GraphLead = {
    id: '1',
    field_data: [
      { name: 'first_name', values: [' Layla '] },
      { name: 'last_name', values: ['Hassan'] },
      { name: 'country', values: ['eg'] },
      { name: 'company_name', values: ['شركة النيل'] },
      { name: 'job_title', values: ['CEO'] },
      { name: 'phone_number', values: ['010 0123 4567'] },
    ],
  }
  const draft = mapMetaLead(leadgen, lead, { defaultRegion: 'EG', formMapping: {}, leadFields })
  t.equal(draft.contactName, 'Layla Hassan')
  t.equal(draft.countryCode, 'EG')
  t.equal(draft.phone, '+201001234567')
  t.same(draft.fields, { partner_name: 'شركة النيل', function: 'CEO' })
})

t.test('a WhatsApp message from a click-to-WhatsApp ad', async (t) => {
  const draft = mapWhatsAppMessage({
    messageId: 'wamid.X',
    waId: '201001234567',
    profileName: 'أحمد علي',
    phoneNumberId: '106540352242922',
    timestamp: '2026-01-08T10:34:20.000Z',
    messageType: 'text',
    text: 'مرحبا، شفت الإعلان وعايز أعرف التفاصيل',
    referral: { sourceType: 'ad', sourceId: '120210000000000011', headline: 'عرض رمضان: خصم 30%', ctwaClid: 'ARAk' },
  })
  t.equal(draft.externalRef, 'wa:201001234567')
  t.equal(draft.phone, '+201001234567')
  t.equal(draft.countryCode, 'EG')
  t.equal(draft.contactName, 'أحمد علي')
  t.equal(draft.message, 'مرحبا، شفت الإعلان وعايز أعرف التفاصيل')
  t.same(draft.utm, { source: 'WhatsApp', medium: 'Paid', campaign: 'عرض رمضان: خصم 30%' })
  t.equal(draft.sourceLabel, 'WhatsApp (click-to-WhatsApp ad)')
})

t.test('a plain WhatsApp message has no medium or campaign', async (t) => {
  const draft = mapWhatsAppMessage({
    messageId: 'wamid.Y',
    waId: '966567654321',
    phoneNumberId: '1',
    timestamp: '2026-01-08T10:33:20.000Z',
    messageType: 'image',
  })
  t.same(draft.utm, { source: 'WhatsApp' })
  t.equal(draft.message, '[image]')
  t.equal(draft.contactName, undefined)
})

t.test('a web form maps standard keys, the message and its UTM fields', async (t) => {
  const event: DataOf<'inbound.form.submitted.v1'> = {
    formKey: 'contact-ar',
    submissionId: 'sub-1',
    submittedAt: '2026-01-08T10:00:00.000Z',
    fields: { name: ' سارة  خالد ', email: 'Sara@Example.com', phone: '٠٥٠١٢٣٤٥٦٧', message: 'أريد عرض سعر', budget: '5000' },
    utm: { source: 'google', medium: 'cpc', campaign: 'brand-ar', term: 'crm' },
    pageUrl: 'https://example.com/ar/contact',
  }
  const draft = mapFormSubmission(event, { defaultRegion: 'AE', formMapping: {}, leadFields })
  t.equal(draft.externalRef, formRef('contact-ar', 'sub-1'))
  t.match(draft.externalRef, /^form:[0-9a-f]{32}$/)
  t.equal(draft.contactName, 'سارة خالد')
  t.equal(draft.email, 'sara@example.com')
  t.equal(draft.phone, '+971501234567')
  t.equal(draft.message, 'أريد عرض سعر')
  t.same(draft.answers, [{ question: 'budget', answer: '5000' }])
  t.same(draft.utm, { source: 'google', medium: 'cpc', campaign: 'brand-ar' })
  t.not(formRef('contact-ar', 'sub-2'), draft.externalRef, 'another submission has another reference')
})
