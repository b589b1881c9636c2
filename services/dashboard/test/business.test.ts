// The business view and Customer 360 from the Odoo stand-in, through the JSON API and the pages: leads by
// day, source, campaign and channel, expected and won revenue, win rate, time to first response, and cost
// per lead and ROAS from a spend CSV or from Meta ads insights (the Graph stand-in). Read-only: no call writes.
import { createHmac } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { startGraphStandIn, startOdooStandIn, type OdooStandIn } from '@gassistant/sandbox'
import { startDashboard } from './helpers/rig.js'

const HOUR = 3600_000
const DAY = 24 * HOUR
/** Two days ago, 09:00 UTC (12:00 in Riyadh): the leads' days do not depend on when the test runs. */
const DAY_ONE = Math.floor(Date.now() / DAY) * DAY - 2 * DAY + 9 * HOUR
const odooTime = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ')
const riyadhDay = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Riyadh' }).format(ms)

interface Seeded { odoo: OdooStandIn; partnerId: number; leadIds: number[] }

/** Four leads over two days (one won, one lost), a salesperson's replies, and a customer with chatter and an order. */
async function seedOdoo(t: Test): Promise<Seeded> {
  let clock = DAY_ONE
  const odoo = await startOdooStandIn({ addonInstalled: true, now: () => new Date(clock) })
  t.teardown(() => odoo.close())
  const meta = odoo.seed('crm.tag', { name: 'Meta Lead Ads' })
  const whatsapp = odoo.seed('crm.tag', { name: 'WhatsApp' })
  const ramadan = odoo.seed('utm.campaign', { name: 'حملة رمضان' })
  const facebook = odoo.seed('utm.source', { name: 'Facebook' })
  const partnerId = odoo.seed('res.partner', { name: 'ليلى حسن', email: 'layla@example.ae', phone: '+971501234567' })
  const lead = (values: Record<string, unknown>) => odoo.seed('crm.lead', { type: 'opportunity', ...values })
  const won = lead({ name: 'Won', campaign_id: ramadan, source_id: facebook, tag_ids: [[6, 0, [meta]]], expected_revenue: 1000, probability: 100, partner_id: partnerId })
  const lost = lead({ name: 'Lost', campaign_id: ramadan, source_id: facebook, tag_ids: [[6, 0, [meta]]], expected_revenue: 500, probability: 0, active: false })
  clock += DAY
  const chat = lead({ name: 'Chat', tag_ids: [[6, 0, [whatsapp]]], expected_revenue: 200, probability: 10 })
  const open = lead({ name: 'Open', campaign_id: ramadan, source_id: facebook, tag_ids: [[6, 0, [meta]]], expected_revenue: 300, probability: 20 })
  const sara = odoo.records('res.users').find((user) => user['login'] === 'sara')?.['partner_id'] as number
  const admin = odoo.records('res.users').find((user) => user['login'] === 'admin')?.['partner_id'] as number
  const message = (resId: number, author: number, at: number, body: string, type = 'comment') =>
    odoo.seed('mail.message', { model: 'crm.lead', res_id: resId, author_id: author, date: odooTime(at), message_type: type, body })
  message(won, admin, DAY_ONE + 5 * 60_000, '<p>WhatsApp: <b>مرحبا</b>، أريد عرض سعر</p>')
  message(won, sara, DAY_ONE + 30 * 60_000, '<p>Hello Layla, here is the quote</p>')
  const note = odoo.records('mail.message.subtype').find((subtype) => subtype['name'] === 'Note')?.['id'] as number
  odoo.seed('mail.message', { model: 'crm.lead', res_id: chat, author_id: sara, date: odooTime(DAY_ONE + DAY + 10 * 60_000), message_type: 'comment', subtype_id: note, body: '<p>internal: call tomorrow</p>' })
  message(chat, sara, DAY_ONE + DAY + 90 * 60_000, '<p>Thanks for your message</p>')
  message(open, sara, DAY_ONE + DAY + 60 * 60_000, '<p>Calling you now</p>')
  const crmLeadModel = odoo.records('ir.model').find((model) => model['model'] === 'crm.lead')?.['id'] as number
  odoo.seed('mail.activity', { res_model_id: crmLeadModel, res_id: won, summary: 'Send the contract', date_deadline: odooTime(DAY_ONE + 3 * DAY).slice(0, 10) })
  odoo.seed('sale.order', { name: 'S00042', partner_id: partnerId, state: 'sale', amount_total: 1500, date_order: odooTime(DAY_ONE + DAY) })
  odoo.calls.reset()
  return { odoo, partnerId, leadIds: [won, lost, chat, open] }
}

const odooSettings = (odoo: OdooStandIn) => ({ ODOO_URL: odoo.url, ODOO_DB: odoo.db, ODOO_USER: odoo.username, ODOO_PASSWORD: odoo.password })

t.test('business figures with spend from a CSV: leads by day, campaign, source, channel, win rate, cost per lead, ROAS', async (t) => {
  const { odoo } = await seedOdoo(t)
  const csv = join(t.testdir(), 'spend.csv')
  await writeFile(csv, 'campaign,spend\n"حملة رمضان",400\nUnused,50\n')
  const rig = await startDashboard(t, { settings: { ...odooSettings(odoo), DASHBOARD_SPEND_CSV: csv } })
  const session = await rig.signIn()
  const answer = await rig.get('/api/business?days=30', session)
  t.equal(answer.status, 200)
  const figures = (await answer.json()) as Record<string, unknown>
  t.match(figures, {
    leads: 4,
    byDay: [{ day: riyadhDay(DAY_ONE), count: 2 }, { day: riyadhDay(DAY_ONE + DAY), count: 2 }],
    expectedRevenue: 2000,
    wonRevenue: 1000,
    winRate: 0.5,
    firstResponseMedianMs: 60 * 60_000,
    spend: 450,
    costPerLead: 112.5,
  })
  t.equal(figures['roas'], 1000 / 450)
  t.same(figures['byCampaign'], [
    { name: 'حملة رمضان', leads: 3, expectedRevenue: 1800, wonRevenue: 1000, won: 1, spend: 400, costPerLead: 400 / 3, roas: 2.5 },
    { name: 'unknown', leads: 1, expectedRevenue: 200, wonRevenue: 0, won: 0, spend: null, costPerLead: null, roas: null },
  ])
  t.match(figures['bySource'], [{ name: 'Facebook', leads: 3 }, { name: 'unknown', leads: 1 }])
  t.match(figures['byChannel'], [{ name: 'meta', leads: 3 }, { name: 'whatsapp', leads: 1 }])
  const writes = Object.keys(odoo.calls.byKey()).filter((key) => /\.(create|write|unlink)$/.test(key))
  t.same(writes, [], 'nothing is written to Odoo')

  const page = await (await rig.get('/business?days=30', session)).text()
  t.match(page, '<canvas id="leads-chart"')
  t.match(page, 'data-name="حملة رمضان"')
  t.equal((await rig.get('/api/business?days=0', session)).status, 400)
})

t.test('cost per lead from Meta ads insights through the Graph API', async (t) => {
  const { odoo } = await seedOdoo(t)
  const graph = await startGraphStandIn({ appSecret: 'app-secret', pageTokens: {}, adAccounts: { '555': { token: 'ads-token', campaigns: [{ campaign_id: '1', campaign_name: 'حملة رمضان', spend: 600 }] } } })
  t.teardown(() => graph.close())
  const rig = await startDashboard(t, { settings: { ...odooSettings(odoo), GRAPH_API_URL: graph.url, META_AD_ACCOUNT_ID: '555', META_ADS_TOKEN: 'ads-token', META_APP_SECRET: 'app-secret' } })
  const session = await rig.signIn()
  const figures = (await (await rig.get('/api/business?days=30', session)).json()) as { byCampaign: { name: string; costPerLead: number | null; roas: number | null }[]; spend: number }
  t.equal(figures.spend, 600)
  t.match(figures.byCampaign[0], { name: 'حملة رمضان', costPerLead: 200, roas: 1000 / 600 })
  t.match(graph.requests.at(-1), { path: '/v25.0/act_555/insights', query: { level: 'campaign', appsecret_proof: createHmac('sha256', 'app-secret').update('ads-token').digest('hex') } })
})

t.test('Customer 360 finds one person by email, phone or partner id: leads, chatter, activities, orders', async (t) => {
  const { odoo, partnerId, leadIds } = await seedOdoo(t)
  const rig = await startDashboard(t, { settings: odooSettings(odoo) })
  const session = await rig.signIn()
  for (const q of ['layla@example.ae', '050 123 4567', String(partnerId)]) {
    const answer = await rig.get(`/api/customer?q=${encodeURIComponent(q)}`, session)
    t.equal(answer.status, 200, q)
    const customer = (await answer.json()) as Record<string, unknown>
    t.match(customer, {
      partner: { id: partnerId, name: 'ليلى حسن', email: 'layla@example.ae' },
      leads: [{ id: leadIds[0], name: 'Won' }],
      messages: [{ text: 'Hello Layla, here is the quote' }, { text: 'WhatsApp: مرحبا، أريد عرض سعر', kind: 'comment' }],
      activities: [{ summary: 'Send the contract' }],
      orders: [{ name: 'S00042', state: 'sale', amount: 1500 }],
    }, `found by ${q}`)
  }
  const missing = await rig.get('/api/customer?q=nobody%40example.com', session)
  t.equal(missing.status, 404)
  t.match(await missing.json(), { code: 'CUSTOMER_NOT_FOUND' })
  const page = await (await rig.get('/customer?q=layla%40example.ae', session)).text()
  t.match(page, 'data-testid="partner-name">ليلى حسن<')
  t.match(page, 'S00042')
})

t.test('without Odoo configured the business view says so; with Odoo down it says that', async (t) => {
  const off = await startDashboard(t)
  const offSession = await off.signIn()
  t.match(await (await off.get('/api/business', offSession)).json(), { code: 'ODOO_OFF', message: /ODOO_URL/ })
  const { odoo } = await seedOdoo(t)
  const rig = await startDashboard(t, { settings: odooSettings(odoo) })
  const session = await rig.signIn()
  odoo.faults.down()
  const down = await rig.get('/api/business', session)
  t.equal(down.status, 503)
  t.match(await down.json(), { code: 'ODOO_UNAVAILABLE' })
  t.match(await (await rig.get('/business', session)).text(), 'Odoo cannot be reached.')
})
