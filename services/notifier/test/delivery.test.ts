// Delivery of notification.requested.v1 on the real RabbitMQ with the Odoo and Slack stand-ins: the rep's DM,
// then the sales team's channel, then the default channel; a Block Kit card with the Arabic name intact and
// isolated, the score's reasons, a WhatsApp link and the buttons; a redelivered request posts nothing more;
// refusals that will not heal park with a reason an operator can act on, after not_in_channel tried the next route.
import t from 'tap'
import { waitFor } from '@gassistant/test-support'
import { ARABIC_NAME, ODOO_PUBLIC_URL, SARA, postedKeys, startRig } from './helpers/rig.js'

const breakdown = JSON.stringify([
  { rule: 'paid', points: 30, reason: { en: 'Came from a paid ad', ar: 'جاء من إعلان مدفوع' } },
  { rule: 'budget', points: 40, reason: { en: 'Budget above 10,000', ar: 'ميزانية أعلى من 10,000' } },
  { rule: 'complete', points: 10, reason: { en: 'Phone and email given', ar: 'رقم الهاتف والبريد' } },
  { rule: 'late', points: 6, reason: { en: 'Asked for a call back', ar: 'طلب معاودة الاتصال' } },
])

t.test("a scored lead of Sara's: one DM to Sara with the card, the Arabic name intact", async (t) => {
  const rig = await startRig(t)
  const sara = await rig.userId('sara')
  const source = await rig.odoo.create('utm.source', { name: 'Instagram' })
  const campaign = await rig.odoo.create('utm.campaign', { name: 'حملة رمضان 2026' })
  const leadId = await rig.lead({ name: ARABIC_NAME, contact_name: ARABIC_NAME, phone: '+966551234567', user_id: sara, source_id: source, campaign_id: campaign, gassistant_score: 86, gassistant_score_breakdown: breakdown })
  await rig.request('req-1', { dedupeKey: `hot-lead:${leadId}`, leadId, text: 'New hot lead' })
  await waitFor(() => rig.outcomes.length === 1, 'the delivered event')

  t.equal(rig.slackServer.messages.length, 1, 'one message')
  const message = rig.slackServer.messages[0]!
  t.equal(message.channel, SARA.dm, "in Sara's DM")
  t.equal(message.text, `New hot lead: \u2068${ARABIC_NAME}\u2069 (86/100)`, 'fallback text: the name isolated inside the English sentence')
  const json = JSON.stringify(message.blocks)
  t.ok(json.includes(`\u2068${ARABIC_NAME}\u2069`), 'the name is intact and isolated in the blocks')
  t.ok(json.includes('\u2068حملة رمضان 2026\u2069'), 'the campaign too')
  t.ok(json.includes('<https://wa.me/966551234567|+966551234567>'), 'the phone is a WhatsApp link')
  t.ok(json.includes('86/100'), 'the score')
  t.ok(json.includes('+40 \u2068Budget above 10,000\u2069') && json.includes('+30 ') && json.includes('+10 '), 'the top reasons')
  t.notOk(json.includes('Asked for a call back'), 'only the top three reasons')
  const actions = (message.blocks as { type: string; elements?: { action_id: string; value?: string; url?: string }[] }[]).find((block) => block.type === 'actions')
  t.same(actions?.elements?.map((element) => element.action_id), ['lead_contacted', 'lead_assign_to_me', 'lead_open'])
  t.equal(actions?.elements?.[0]?.value, String(leadId))
  t.equal(actions?.elements?.[2]?.url, `${ODOO_PUBLIC_URL}/web#id=${leadId}&model=crm.lead&view_type=form`)
  t.match(rig.outcomes[0], { type: 'notification.delivered.v1', id: 'delivered:req-1', data: { dedupeKey: `hot-lead:${leadId}`, channel: 'slack', target: SARA.dm, messageTs: message.ts, requestEventId: 'req-1' } })
  t.equal(rig.slackServer.requests.filter((r) => r.method === 'users.lookupByEmail').length, 1, "Sara's Slack id was looked up by her Odoo email")

  // The same request again (a redelivery): found in the DM's history, not posted again; the same outcome event.
  await rig.request('req-1', { dedupeKey: `hot-lead:${leadId}`, leadId, text: 'New hot lead' })
  await waitFor(() => rig.outcomes.length === 2, 'the second delivered event')
  t.equal(rig.slackServer.messages.length, 1, 'still one message')
  t.equal(rig.outcomes[1]?.id, 'delivered:req-1')
  t.equal(rig.slackServer.requests.filter((r) => r.method === 'users.lookupByEmail').length, 1, 'the look-up is cached')
  t.ok(rig.lines.some((line) => line.msg === 'notification was already on Slack: not posted again'))
  t.notOk(rig.lines.some((line) => JSON.stringify(line).includes(ARABIC_NAME) || JSON.stringify(line).includes('sara@example.com')), 'no name or email in the logs')
})

t.test("a salesperson without Slack: the team's channel; no salesperson and no team channel: the default channel", async (t) => {
  const rig = await startRig(t, { routes: { users: {}, teams: { Riyadh: 'C0RIYADH' } } })
  const omar = await rig.userId('omar')
  const riyadh = await rig.odoo.create('crm.team', { name: 'Riyadh' })
  const team = await rig.lead({ name: 'Lead of Omar', user_id: omar, team_id: riyadh })
  const nobody = await rig.lead({ name: 'Lead of nobody', user_id: false, team_id: false })
  await rig.request('req-team', { dedupeKey: `k:${team}`, leadId: team })
  await rig.request('req-default', { dedupeKey: `k:${nobody}`, leadId: nobody })
  await waitFor(() => rig.outcomes.length === 2, 'two delivered events')
  const where = Object.fromEntries(rig.slackServer.messages.map((m, i) => [postedKeys(rig.slackServer)[i], m.channel]))
  t.same(where, { [`k:${team}`]: 'C0RIYADH', [`k:${nobody}`]: 'C0GENERAL' })
})

t.test('the mapping file wins over Slack; a request may name its person', async (t) => {
  const rig = await startRig(t, { routes: { users: { 'omar@example.com': 'U0SARA0001' }, teams: {} } })
  const omar = await rig.userId('omar')
  const lead = await rig.lead({ name: 'Mapped', user_id: omar })
  await rig.request('req-mapped', { dedupeKey: 'mapped', leadId: lead })
  await rig.request('req-person', { dedupeKey: 'person', recipient: { userEmail: SARA.email }, text: 'Weekly summary' })
  await waitFor(() => rig.outcomes.length === 2, 'two delivered events')
  t.same(rig.slackServer.messages.map((m) => m.channel), [SARA.dm, SARA.dm])
  t.equal(rig.slackServer.requests.filter((r) => r.method === 'users.lookupByEmail').length, 1, 'only the unmapped person was looked up')
})

t.test('not_in_channel tries the next route; channel_not_found parks with a reason and publishes notification.failed.v1', async (t) => {
  const rig = await startRig(t, { routes: { users: {}, teams: { Sales: 'C0LEADS' } }, defaultChannel: 'C0DELETED' })
  const lead = await rig.lead({ name: 'Team lead', user_id: false, team_id: 1 })
  // The bot is not in the team's channel (history and post answer not_in_channel): the default channel is next —
  // and it does not exist.
  rig.slackServer.failNext(1, 'not_in_channel')
  await rig.request('req-x', { dedupeKey: 'x', leadId: lead })
  await waitFor(() => rig.outcomes.length === 1, 'the failed event')
  t.equal(rig.outcomes[0]?.type, 'notification.failed.v1')
  t.equal(rig.outcomes[0]?.id, 'failed:req-x')
  const reason = (rig.outcomes[0]?.data as { reason: string }).reason
  t.match(reason, /SLACK_DEFAULT_CHANNEL C0DELETED: Slack answered channel_not_found to conversations\.history \(the channel does not exist/)
  const parked = await waitFor(async () => (await rig.bus.deadLetters.list('notifier')).at(0), 'the parked request')
  t.equal(parked.reason, reason, 'parked with the same reason')
  t.equal(rig.slackServer.messages.length, 0)
  t.match(await rig.metrics.registry.getSingleMetricAsString('notifier_messages_failed_total'), /error="channel_not_found",service="notifier"\} 1/)
})

t.test('an invalid token parks at once, naming the variable to fix', async (t) => {
  const rig = await startRig(t)
  rig.slackServer.failNext(1, 'invalid_auth')
  await rig.request('req-auth', { dedupeKey: 'auth', text: 'hello' })
  const parked = await waitFor(async () => (await rig.bus.deadLetters.list('notifier')).at(0), 'the parked request')
  t.match(parked.reason, /invalid_auth .*SLACK_BOT_TOKEN is not valid/)
})

t.test('Slack failing (internal_error) keeps the request without spending attempts, then delivers it once', async (t) => {
  const rig = await startRig(t)
  rig.slackServer.failNext(3, 'internal_error')
  await rig.request('req-flaky', { dedupeKey: 'flaky', text: 'hello' })
  await waitFor(() => rig.outcomes.length === 1, 'the delivered event')
  t.equal(rig.outcomes[0]?.type, 'notification.delivered.v1')
  t.same(postedKeys(rig.slackServer), ['flaky'], 'posted once')
  const handled = rig.lines.filter((line) => line['event_id'] === 'req-flaky' && typeof line['outcome'] === 'string')
  // The first failure pauses the consumer; its probe (auth.test) meets the two others; then the request is done.
  t.same(handled.map((line) => [line['outcome'], line['attempt']]), [['unavailable', 1], ['done', 1]], 'kept without spending an attempt, then done')
  t.same(rig.slackServer.requests.filter((r) => r.method === 'auth.test').map((r) => r.error ?? 'ok'), ['internal_error', 'internal_error', 'ok'], 'Slack probed until it answered')
})
