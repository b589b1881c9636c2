// `pnpm hub meta …` run as operators run it: a subprocess against the Graph and Odoo stand-ins (and, for
// backfill, a RabbitMQ vhost of its own), asserting what it prints, its exit code and what it published.
// Plus its pure parser.
import amqplib from 'amqplib'
import t from 'tap'
import { EXCHANGE, type AnyEvent } from '@gassistant/contracts'
import { startGraphStandIn, startOdooStandIn, type GraphLead, type GraphStandIn, type OdooStandIn } from '@gassistant/sandbox'
import { rabbitVhost, runScript, waitFor } from '@gassistant/test-support'
import { parseMetaCommand, progressLine } from '../src/commands/meta.js'

const SECRET = 'test-app-secret'
const PAGE = '104857600112233'
const EXPIRED_PAGE = '104857600445566'
const TOKENS = { [PAGE]: 'page-token-a', [EXPIRED_PAGE]: 'page-token-b' }
const FORM_A = '555000000000001'
const FORM_B = '555000000000002'
const SINCE = '2026-01-01'

function lead(n: number, formId: string): GraphLead {
  return {
    id: String(2_200_000_000_000_000 + n),
    created_time: new Date(Date.UTC(2026, 0, 8, 10, 0, n)).toISOString().replace(/\.\d{3}Z$/, '+0000'),
    form_id: formId,
    page_id: PAGE,
    field_data: [{ name: 'email', values: [`lead${n}@example.com`] }],
  }
}

interface World { graph: GraphStandIn; odoo: OdooStandIn; env: Record<string, string> }

/** Form A: 5 leads, Odoo has 2 of them; form B: 3 leads, Odoo has none; a second page whose token expired. */
async function world(t: { teardown(fn: () => unknown): void }): Promise<World> {
  const graph = await startGraphStandIn({ appSecret: SECRET, pageTokens: TOKENS })
  const odoo = await startOdooStandIn({ addonInstalled: true })
  t.teardown(async () => {
    await graph.close()
    await odoo.close()
  })
  for (let n = 0; n < 5; n++) graph.addLead(lead(n, FORM_A))
  for (let n = 5; n < 8; n++) graph.addLead(lead(n, FORM_B))
  graph.expireToken(EXPIRED_PAGE)
  for (const n of [0, 3]) odoo.seed('crm.lead', { name: `Lead ${n}`, gassistant_ref: `meta:${lead(n, FORM_A).id}` })
  const env = {
    GRAPH_API_URL: graph.url,
    META_APP_SECRET: SECRET,
    META_PAGE_TOKENS: JSON.stringify(TOKENS),
    ODOO_URL: odoo.url,
    ODOO_DB: odoo.db,
    ODOO_USER: odoo.username,
    ODOO_PASSWORD: odoo.password,
  }
  return { graph, odoo, env }
}

const hub = (args: readonly string[], env: Record<string, string | undefined>) => runScript('apps/hub/src/cli.ts', args, { AMQP_URL: undefined, ...env })

t.test('parseMetaCommand reads the three commands and refuses what they do not take', async (t) => {
  t.same(parseMetaCommand(['meta', 'backfill', '--page', PAGE, '--form', FORM_A, '--since', SINCE]), { kind: 'backfill', page: PAGE, form: FORM_A, since: new Date('2026-01-01T00:00:00Z') })
  t.same(parseMetaCommand(['meta', 'reconcile', '--since', '2026-01-08T10:00:00Z']), { kind: 'reconcile', since: new Date('2026-01-08T10:00:00Z') })
  t.same(parseMetaCommand(['meta', 'tokens']), { kind: 'tokens' })
  for (const bad of [['meta'], ['meta', 'backfill', '--since', SINCE], ['meta', 'backfill', '--page', PAGE], ['meta', 'backfill', '--page', 'x', '--since', SINCE],
    ['meta', 'reconcile'], ['meta', 'reconcile', '--since', 'yesterday'], ['meta', 'reconcile', '--since', SINCE, '--form', FORM_A], ['meta', 'tokens', '--page', PAGE], ['meta', 'drop']]) {
    t.throws(() => parseMetaCommand(bad), { name: 'UsageError' }, `refuses: ${bad.join(' ')}`)
  }
})

t.test('the progress bar fills with the forms done', async (t) => {
  t.equal(progressLine({ formsDone: 1, formsTotal: 2, leadsRead: 420, published: 120 }), `[${'█'.repeat(12)}${'░'.repeat(12)}] 1/2 forms · 420 leads read · 120 published`)
})

t.test('pnpm hub meta tokens: says which page token expired, exit 1', async (t) => {
  const w = await world(t)
  const res = await hub(['meta', 'tokens'], w.env)
  t.equal(res.code, 1, res.stderr)
  t.match(res.stdout, `page ${PAGE} (Page ${PAGE}): token valid`)
  t.match(res.stdout, new RegExp(`page ${EXPIRED_PAGE}: token EXPIRED or invalid \\(Graph code 190/463\\)`))
  t.match(res.stdout, '1 of 2 page token(s) valid')
  t.notMatch(res.stdout + res.stderr, /page-token-[ab]/, 'no token printed')
})

t.test('pnpm hub meta reconcile: per form, Meta\'s count, Odoo\'s, and the missing leadgen ids', async (t) => {
  const w = await world(t)
  const res = await hub(['meta', 'reconcile', '--since', SINCE, '--page', PAGE], w.env)
  t.equal(res.code, 0, res.stderr)
  t.match(res.stdout, `form ${FORM_A} (Form ${FORM_A}): Meta 5, Odoo 2, missing 3`)
  t.match(res.stdout, `  missing: ${[4, 2, 1].map((n) => lead(n, FORM_A).id).join(' ')}`)
  t.match(res.stdout, `form ${FORM_B} (Form ${FORM_B}): Meta 3, Odoo 0, missing 3`)
  t.match(res.stdout, 'reconcile: 2 form(s), Meta 8, missing from Odoo 6')
  t.equal(w.graph.requests.filter((r) => r.path.endsWith('/leads')).every((r) => JSON.parse(r.query['filtering'] ?? '[]')[0]?.value === Date.parse('2026-01-01T00:00:00Z') / 1000), true, '--since becomes the time_created filter')

  const all = await hub(['meta', 'reconcile', '--since', SINCE], w.env)
  t.equal(all.code, 1, 'a page that could not be read fails the run')
  t.match(all.stdout, `page ${EXPIRED_PAGE}: TOKEN EXPIRED or invalid`)
})

t.test('pnpm hub meta backfill: publishes the webhook\'s event for each lead Odoo lacks, with a progress bar and a summary', async (t) => {
  const w = await world(t)
  const vhost = await rabbitVhost(t)
  const connection = await amqplib.connect(vhost.url)
  t.teardown(() => connection.close())
  const channel = await connection.createChannel()
  await channel.assertExchange(EXCHANGE, 'topic', { durable: true })
  const { queue } = await channel.assertQueue('', { exclusive: true })
  await channel.bindQueue(queue, EXCHANGE, 'inbound.meta.leadgen.v1')
  const published: AnyEvent[] = []
  await channel.consume(queue, (m) => void (m && published.push(JSON.parse(m.content.toString('utf8')) as AnyEvent)), { noAck: true })

  const res = await hub(['meta', 'backfill', '--page', PAGE, '--form', FORM_A, '--since', SINCE], { ...w.env, AMQP_URL: vhost.url })
  t.equal(res.code, 0, res.stderr)
  t.match(res.stderr, `[${'░'.repeat(24)}] 0/1 forms`, 'the bar starts empty')
  t.match(res.stderr, `[${'█'.repeat(24)}] 1/1 forms · 5 leads read · 3 published`, 'and ends full')
  t.match(res.stdout, `form ${FORM_A} (Form ${FORM_A}): Meta 5, Odoo 2, missing 3, published 3`)
  t.match(res.stdout, 'backfill: 1 form(s), 5 lead(s) read, 3 published for the lead-processor')
  await waitFor(() => published.length === 3, 'three events on the broker')
  t.same(published.map((e) => e.id).sort(), [1, 2, 4].map((n) => `meta:${lead(n, FORM_A).id}`), "the webhook's event ids, only for the leads Odoo lacks")
  t.match(published[0]?.data, { pageId: PAGE, formId: FORM_A })

  const noBroker = await hub(['meta', 'backfill', '--page', PAGE, '--since', SINCE], w.env)
  t.equal(noBroker.code, 2)
  t.match(noBroker.stderr, /AMQP_URL/, 'names the missing variable')
})

t.test('a missing setting or a bad command line: one line naming it, exit 2', async (t) => {
  const res = await hub(['meta', 'tokens'], { GRAPH_API_URL: undefined, META_APP_SECRET: 's', META_PAGE_TOKENS: '{}' })
  t.equal(res.code, 2)
  t.match(res.stderr, /GRAPH_API_URL|META_PAGE_TOKENS/)
  const usage = await hub(['meta', 'backfill', '--since', SINCE], {})
  t.equal(usage.code, 2)
  t.match(usage.stderr, 'error: meta backfill needs --page <id>; usage: pnpm hub meta backfill')
})
