// `pnpm demo`: posts a few signed sample leads (Arabic and English; Meta, WhatsApp, web form) to the
// hub `pnpm start` runs, then prints the leads as Odoo now holds them. Talks to the hub only over HTTP,
// exactly like Meta, WhatsApp and a website would. Local use only (test secrets from local.ts).
import { createHmac } from 'node:crypto'
import { signGAssistant } from '@gassistant/contracts'
import { createOdooClient } from '@gassistant/odoo'
import { LOCAL, SAMPLE_META_LEADS } from './local.js'

const env = process.env
const hub = env['HUB_URL'] ?? `http://127.0.0.1:${LOCAL.hubPort}`
const odooUrl = env['ODOO_URL'] ?? `http://127.0.0.1:${LOCAL.odooPort}`
const appSecret = env['META_APP_SECRET'] ?? LOCAL.metaAppSecret
const WHATSAPP_PERSON = 'أحمد علي'
const FORM_PERSON = 'Omar Al-Farsi'
const out = (line: string): void => void process.stdout.write(`${line}\n`)

async function post(path: string, body: string, headers: Record<string, string>): Promise<void> {
  const res = await fetch(`${hub}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } })
  out(`  POST ${path} → ${res.status}`)
  if (!res.ok) out(`    ${(await res.text()).slice(0, 200)}`)
}

const metaSignature = (body: string): Record<string, string> => ({ 'x-hub-signature-256': `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}` })

const now = Math.floor(Date.now() / 1000)
out(`Posting sample leads to ${hub}`)
const meta = JSON.stringify({
  object: 'page',
  entry: [{
    id: LOCAL.pageId,
    time: now,
    changes: SAMPLE_META_LEADS.map((lead) => ({
      field: 'leadgen',
      value: { leadgen_id: lead.id, page_id: LOCAL.pageId, form_id: lead.form_id, created_time: now, ...(lead.ad_id ? { ad_id: lead.ad_id, adgroup_id: lead.ad_id } : {}) },
    })),
  }],
})
await post('/webhooks/meta', meta, metaSignature(meta))

const whatsapp = JSON.stringify({
  object: 'whatsapp_business_account',
  entry: [{ id: '102290129340398', changes: [{ field: 'messages', value: {
    messaging_product: 'whatsapp',
    metadata: { display_phone_number: '966112345678', phone_number_id: '106540352242922' },
    contacts: [{ profile: { name: WHATSAPP_PERSON }, wa_id: '201001234567' }],
    messages: [{
      from: '201001234567', id: `wamid.demo${now}`, timestamp: String(now), type: 'text',
      text: { body: 'مرحبا، شفت الإعلان وعايز أعرف التفاصيل' },
      referral: { source_type: 'ad', source_id: '120210000000000011', source_url: 'https://fb.me/3xAmPlE9', headline: 'عرض رمضان: خصم 30%' },
    }],
  } }] }],
})
await post('/webhooks/whatsapp', whatsapp, metaSignature(whatsapp))

const form = JSON.stringify({
  name: FORM_PERSON,
  email: 'omar.alfarsi@example.com',
  phone: '+968 9212 3456',
  message: 'Please send me a quote for 20 users.',
  utm_source: 'google',
  utm_medium: 'cpc',
  utm_campaign: 'brand-en',
})
await post(`/webhooks/forms/${LOCAL.formKey}`, form, { 'x-gassistant-signature': signGAssistant(LOCAL.formSecret, now, form) })

const odoo = createOdooClient({ url: odooUrl, db: env['ODOO_DB'] ?? LOCAL.odooDb, username: env['ODOO_USER'] ?? LOCAL.odooUser, password: env['ODOO_PASSWORD'] ?? LOCAL.odooPassword, timeoutMs: 5_000 })
const expected = SAMPLE_META_LEADS.length + 2
// The demo's people only, so a real Odoo's other leads stay out of the listing.
const metaNames = SAMPLE_META_LEADS.map((lead) => lead.field_data.find((field) => field.name === 'full_name')?.values[0]?.trim().replace(/\s+/g, ' '))
const people = [...metaNames, WHATSAPP_PERSON, FORM_PERSON]
const deadline = Date.now() + 15_000
let leads: Record<string, unknown>[] = []
while (Date.now() < deadline) {
  leads = await odoo.searchRead('crm.lead', [['contact_name', 'in', people]], { fields: ['name', 'contact_name', 'email_from', 'phone', 'city', 'source_id', 'medium_id', 'campaign_id', 'tag_ids', 'type'], order: 'id asc' })
  if (leads.length >= expected) break
  await new Promise((resolve) => setTimeout(resolve, 250))
}
const label = (v: unknown): string => (Array.isArray(v) ? String(v[1]) : v === false || v === undefined ? '—' : String(v))
out('')
out(`Odoo (${odooUrl}) holds ${leads.length} lead(s) of these people (a second run finds the same leads: never one twice):`)
for (const lead of leads) {
  out(`  #${String(lead['id'])} ${label(lead['name'])}`)
  out(`     contact ${label(lead['contact_name'])} | ${label(lead['email_from'])} | ${label(lead['phone'])} | city ${label(lead['city'])}`)
  out(`     utm ${label(lead['source_id'])} / ${label(lead['medium_id'])} / ${label(lead['campaign_id'])}`)
}
odoo.close()
if (leads.length < expected) {
  out(`(expected ${expected}; is \`pnpm start\` running with the stand-ins? see its log)`)
  process.exitCode = 1
}
