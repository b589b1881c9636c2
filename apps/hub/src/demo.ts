// `pnpm demo`: posts a few signed sample leads (Arabic and English; Meta, WhatsApp, web form) to the
// hub `pnpm start` runs, then prints the leads as Odoo now holds them. Talks to the hub only over HTTP,
// exactly like Meta, WhatsApp and a website would. Local use only (test secrets from local.ts). Finds the
// hub from the same PORT `pnpm start` read (or HUB_URL / ODOO_URL). A hub or Odoo that does not answer
// is one line on stderr and exit 1, never a stack trace.
import { createHmac } from 'node:crypto'
import { signGAssistant } from '@gassistant/contracts'
import { createOdooClient } from '@gassistant/odoo'
import { ConfigError, HttpUrl, loadConfig } from '@gassistant/runtime'
import Type, { type Static } from 'typebox'
import { DEFAULT_PORT, LOCAL, MAX_PORT, SAMPLE_META_LEADS, localPorts } from './local.js'

const DemoEnv = Type.Object({
  PORT: Type.Integer({ minimum: 0, maximum: MAX_PORT, default: DEFAULT_PORT }),
  HUB_URL: Type.Optional(HttpUrl),
  ODOO_URL: Type.Optional(HttpUrl),
  ODOO_DB: Type.String({ default: LOCAL.odooDb }),
  ODOO_USER: Type.String({ default: LOCAL.odooUser }),
  ODOO_PASSWORD: Type.String({ default: LOCAL.odooPassword }),
  META_APP_SECRET: Type.String({ default: LOCAL.metaAppSecret }),
})
type DemoEnv = Static<typeof DemoEnv>

const WHATSAPP_PERSON = 'أحمد علي'
const FORM_PERSON = 'Omar Al-Farsi'
const out = (line: string): void => void process.stdout.write(`${line}\n`)

/** Something the user can act on, printed as the demo's one line. */
class DemoError extends Error {}

const hmac = (secret: string, text: string): string => createHmac('sha256', secret).update(text).digest('hex')

async function postSamples(hub: string, appSecret: string): Promise<void> {
  const post = async (path: string, body: string, headers: Record<string, string>): Promise<void> => {
    const res = await fetch(`${hub}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } }).catch(() => {
      throw new DemoError(`no hub answers at ${hub}: start it with \`pnpm start\` (same PORT) in another terminal, or set HUB_URL`)
    })
    out(`  POST ${path} → ${res.status}`)
    if (!res.ok) out(`    ${(await res.text()).slice(0, 200)}`)
  }
  const metaSignature = (body: string): Record<string, string> => ({ 'x-hub-signature-256': `sha256=${hmac(appSecret, body)}` })
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
}

/** Polls Odoo until every sample person has a lead (or 15 s passed), prints them; false if some are missing. */
async function printLeads(env: DemoEnv, odooUrl: string): Promise<boolean> {
  const odoo = createOdooClient({ url: odooUrl, db: env.ODOO_DB, username: env.ODOO_USER, password: env.ODOO_PASSWORD, timeoutMs: 5_000 })
  const expected = SAMPLE_META_LEADS.length + 2
  // The demo's people only, so a real Odoo's other leads stay out of the listing.
  const metaNames = SAMPLE_META_LEADS.map((lead) => lead.field_data.find((field) => field.name === 'full_name')?.values[0]?.trim().replace(/\s+/g, ' '))
  const people = [...metaNames, WHATSAPP_PERSON, FORM_PERSON]
  const fields = ['name', 'contact_name', 'email_from', 'phone', 'city', 'source_id', 'medium_id', 'campaign_id', 'tag_ids', 'type']
  const deadline = Date.now() + 15_000
  let leads: Record<string, unknown>[] = []
  try {
    while (Date.now() < deadline) {
      leads = await odoo.searchRead('crm.lead', [['contact_name', 'in', people]], { fields, order: 'id asc' })
      if (leads.length >= expected) break
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
  } catch (error) {
    throw new DemoError(`cannot read the leads from Odoo at ${odooUrl} (${error instanceof Error ? error.message : String(error)}); set ODOO_URL if the hub uses another Odoo`)
  } finally {
    odoo.close()
  }
  const label = (v: unknown): string => (Array.isArray(v) ? String(v[1]) : v === false || v === undefined ? '—' : String(v))
  out('')
  out(`Odoo (${odooUrl}) holds ${leads.length} lead(s) of these people (a second run finds the same leads: never one twice):`)
  for (const lead of leads) {
    out(`  #${String(lead['id'])} ${label(lead['name'])}`)
    out(`     contact ${label(lead['contact_name'])} | ${label(lead['email_from'])} | ${label(lead['phone'])} | city ${label(lead['city'])}`)
    out(`     utm ${label(lead['source_id'])} / ${label(lead['medium_id'])} / ${label(lead['campaign_id'])}`)
  }
  if (leads.length < expected) out(`(expected ${expected}; is \`pnpm start\` running with the stand-ins? see its log)`)
  return leads.length >= expected
}

try {
  const env = loadConfig(DemoEnv)
  const ports = localPorts(env.PORT)
  await postSamples(env.HUB_URL ?? `http://127.0.0.1:${ports.ingress}`, env.META_APP_SECRET)
  process.exitCode = (await printLeads(env, env.ODOO_URL ?? `http://127.0.0.1:${ports.odoo}`)) ? 0 : 1
} catch (error) {
  if (!(error instanceof DemoError || error instanceof ConfigError)) throw error
  process.stderr.write(`demo: ${error instanceof ConfigError ? 'configuration error: ' : ''}${error.message}\n`)
  process.exitCode = 1
}
