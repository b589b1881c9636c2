// End to end in Debian's Chromium (playwright-core, never a downloaded browser): `pnpm start` on a RabbitMQ
// vhost of the test's own runs the whole hub with the dashboard reading the hub's own log stream; `pnpm demo`
// sends its sample leads and one Meta lead the Graph stand-in does not know gets parked. Then, as an operator
// would: sign-in is required, the pipeline view shows the counts, a lead's journey shows every step in order
// with the durations the logs give, the Arabic view renders right-to-left, and replay from the page puts the
// parked message back on its queue. Screenshots go to .tap/screenshots/dashboard (CI artifacts).
import { createHmac } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type Page } from 'playwright-core'
import t from 'tap'
import { rabbitVhost, runScript, startScript, waitFor } from '@gassistant/test-support'
import { PASSWORD, testSettings } from './helpers/rig.js'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const SHOTS = join(ROOT, '.tap', 'screenshots', 'dashboard')
const UNSET = { ODOO_URL: undefined, GRAPH_API_URL: undefined, META_APP_SECRET: undefined, META_PAGE_TOKENS: undefined, DASHBOARD_PASSWORD_HASH: undefined }
const APP_SECRET = 'test-app-secret'
const PAGE_ID = '104857600112233'
const UNKNOWN_LEADGEN = '2100000000000999'

interface StepView { step: string; service: string; sinceMs: string; durationMs: string }
interface JourneyJson { journeys: { correlationId: string; steps: { step: string; service: string; sincePreviousMs: number | null; durationMs: number | null }[] }[] }

async function launch(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
}

const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true })

async function steps(page: Page): Promise<StepView[]> {
  return page.locator('section.journey').first().locator('ol.timeline > li').evaluateAll((items) => items.map((item) => ({
    step: item.getAttribute('data-step') ?? '',
    service: item.getAttribute('data-service') ?? '',
    sinceMs: item.getAttribute('data-since-ms') ?? '',
    durationMs: item.getAttribute('data-duration-ms') ?? '',
  })))
}

t.test('an operator signs in, reads the pipeline and a journey, switches to Arabic and replays a parked message', async (t) => {
  await mkdir(SHOTS, { recursive: true })
  const vhost = await rabbitVhost(t)
  const settings = await testSettings()
  const hub = startScript('apps/hub/src/start.ts', { ...UNSET, PORT: '0', AMQP_URL: vhost.url, LOG_LEVEL: 'info', DASHBOARD_PASSWORD_HASH: settings.DASHBOARD_PASSWORD_HASH })
  t.teardown(() => void hub.child.kill('SIGKILL'))
  await waitFor(() => hub.stdout().includes('Try it: pnpm demo') || hub.child.exitCode !== null, 'the hub to start', 60_000)
  const find = (pattern: RegExp): string => {
    const found = pattern.exec(hub.stdout())?.[1]
    if (found === undefined) throw new Error(`not in the hub's output: ${pattern}\n${hub.stdout().slice(-3000)}${hub.stderr()}`)
    return found
  }
  const ingress = find(/ingress\s+(http:\/\/\S+)\/metrics/)
  const odoo = find(/Odoo:\s+(http:\/\/\S+) db=/)
  const dashboard = find(/Dashboard: (http:\/\/\S+)\//)
  t.match(hub.stdout(), 'user admin, the password of DASHBOARD_PASSWORD_HASH', 'a configured password is never printed')

  const demo = await runScript('apps/hub/src/demo.ts', [], { ...UNSET, HUB_URL: ingress, ODOO_URL: odoo })
  t.equal(demo.code, 0, `the demo's leads reach Odoo\n${demo.stdout}${demo.stderr}`)
  const unknown = JSON.stringify({ object: 'page', entry: [{ id: PAGE_ID, time: 1767868200, changes: [{ field: 'leadgen', value: { leadgen_id: UNKNOWN_LEADGEN, page_id: PAGE_ID, form_id: '987654321098765', created_time: 1767868200 } }] }] })
  const posted = await fetch(`${ingress}/webhooks/meta`, { method: 'POST', body: unknown, headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${createHmac('sha256', APP_SECRET).update(unknown).digest('hex')}` } })
  t.equal(posted.status, 200)

  const browser = await launch()
  t.teardown(() => browser.close())
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } })
  const page = await context.newPage()

  // Sign-in is required: the pipeline redirects to the sign-in page and shows no figure.
  await page.goto(`${dashboard}/`)
  t.match(new URL(page.url()).pathname, '/login')
  t.equal(await page.locator('[data-testid="totals"]').count(), 0, 'no data before signing in')
  await shot(page, '1-sign-in')
  await page.fill('#password', 'wrong')
  await page.click('button[type="submit"]')
  t.equal(await page.locator('[role="alert"]').count(), 1, 'a wrong password is refused on the page')
  await page.fill('#password', PASSWORD)
  await Promise.all([page.waitForURL(`${dashboard}/`), page.click('form.login button[type="submit"]')])

  // The pipeline view: the demo's four leads handled by the lead-processor, the unknown one parked.
  const count = async (service: string, outcome: string) => {
    await page.reload()
    const cell = page.locator(`[data-testid="totals"] tr[data-service="${service}"][data-outcome="${outcome}"] td[data-count]`)
    return (await cell.count()) === 0 ? 0 : Number(await cell.getAttribute('data-count'))
  }
  await waitFor(async () => (await count('lead-processor', 'park')) === 1, 'the unknown lead to be parked', 30_000)
  t.equal(await count('lead-processor', 'done'), 4, 'lead-processor handled the demo\'s 2 Meta leads, 1 WhatsApp message and 1 form')
  t.equal(await count('ingress', 'ok'), 4, 'the ingress accepted 4 webhooks')
  await page.waitForSelector('html[data-charts="drawn"]')
  t.equal(await page.locator('#events-chart').count(), 1, 'the events chart is drawn by the bundled Chart.js')
  t.match(await page.locator('[data-testid="latency-p50"]').textContent(), /\d/, 'webhook → Odoo latency is shown')
  for (const service of ['ingress', 'lead-processor', 'scoring', 'workflow-rules', 'notifier']) {
    t.equal(await page.locator(`[data-testid="health"] tr[data-service="${service}"]`).getAttribute('data-state'), 'ready', `${service} is probed and ready`)
  }
  await shot(page, '2-pipeline')

  // A lead's journey, searched from the page by its leadgen id.
  await page.click('a[href="/journey"]')
  await page.fill('#q', '2100000000000001')
  await Promise.all([page.waitForURL(/journey\?q=/), page.click('form.search button')])
  const shown = await steps(page)
  // The workflow rules handle the synced (and scored) lead beside scoring: their steps interleave by time.
  t.ok(shown.some((step) => step.step === 'handled' && step.service === 'workflow-rules'), 'the workflow rules handled the lead too')
  t.same(shown.filter((step) => step.service !== 'workflow-rules').map((step) => [step.step, step.service]), [
    ['received', 'ingress'],
    ['graph_read', 'lead-processor'],
    ['odoo_created', 'lead-processor'],
    ['handled', 'lead-processor'],
    ['scored', 'scoring'],
    ['handled', 'scoring'],
  ], 'every step, in order')
  const api = (await (await page.request.get(`${dashboard}/api/journey?q=2100000000000001`)).json()) as JourneyJson
  const logged = api.journeys[0]?.steps ?? []
  t.same(shown.map((step) => step.sinceMs), logged.map((step) => (step.sincePreviousMs === null ? '' : String(step.sincePreviousMs))), 'the time between steps the logs give')
  t.same(shown.map((step) => step.durationMs), logged.map((step) => (step.durationMs === null ? '' : String(step.durationMs))), 'each step\'s own duration')
  t.ok(logged.slice(1).every((step) => (step.sincePreviousMs ?? -1) >= 0), 'steps follow each other in time')
  await shot(page, '3-journey')

  // Arabic, right-to-left.
  await Promise.all([page.waitForURL(/journey/), page.click('a.lang')])
  t.equal(await page.getAttribute('html', 'dir'), 'rtl')
  t.equal(await page.getAttribute('html', 'lang'), 'ar')
  t.equal(await page.locator('h1').textContent(), 'رحلة العميل المحتمل')
  t.equal((await steps(page)).length, shown.length, 'the same journey in Arabic')
  await shot(page, '4-journey-ar')
  await Promise.all([page.waitForURL(/journey/), page.click('a.lang')])

  // Dead letters: the parked lead is listed; replay asks for confirmation, then moves it back to its queue.
  await page.goto(`${dashboard}/dead-letters`)
  const section = page.locator('section.dead[data-service="lead-processor"]')
  t.equal(await section.locator(`tr[data-event="meta:${UNKNOWN_LEADGEN}"]`).count(), 1, 'the parked message is listed')
  await shot(page, '5-dead-letters')
  await section.locator('button[data-action="replay"]').click()
  t.match(await page.locator('[role="alertdialog"]').textContent(), 'Replay every parked message', 'confirmation is asked')
  await Promise.all([page.waitForURL(/dead-letters\?notice=/), page.click('[role="alertdialog"] button[data-action="replay"]')])
  t.match(await page.locator('[role="status"]').textContent(), 'lead-processor: 1 messages replayed')
  // Back on its queue, the lead-processor handles it again (and, still unknown to Meta, parks it again).
  await waitFor(async () => {
    const again = (await (await page.request.get(`${dashboard}/api/journey?q=${UNKNOWN_LEADGEN}`)).json()) as JourneyJson
    return (again.journeys[0]?.steps.filter((step) => step.step === 'parked').length ?? 0) === 2
  }, 'the replayed message to be handled again', 30_000)
  await shot(page, '6-replayed')
})
