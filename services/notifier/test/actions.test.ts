// Acting from Slack, end to end: the notifier posts a lead's card; a signed "Contacted" click reaches the ingress,
// which publishes inbound.slack.action.v1; the notifier logs a note by Sara (the Odoo user with her Slack email),
// marks the hub's follow-up activity done, and updates the message to say who did it. A second click changes
// nothing more; "Assign to me" makes Sara the salesperson; a tampered click is refused and changes nothing.
import t, { type Test } from 'tap'
import { createLogger, createMetrics } from '@gassistant/runtime'
import { buildApp } from '@gassistant/ingress'
import { blockActionsPayload, sendInteraction, type SlackMessage } from '@gassistant/sandbox'
import { waitFor } from '@gassistant/test-support'
import { ARABIC_NAME, SARA, startRig, type Rig } from './helpers/rig.js'

const SIGNING_SECRET = 'slack-signing-secret-for-tests'

async function ingress(t: Test, rig: Rig): Promise<string> {
  const app = await buildApp({
    bus: rig.bus,
    config: {
      meta: { appSecret: 'meta-app-secret', verifyToken: 'v' },
      whatsapp: { appSecret: 'meta-app-secret', verifyToken: 'v' },
      odoo: { webhookSecret: 'odoo-webhook-secret' },
      forms: {},
      slack: { signingSecret: SIGNING_SECRET },
      trustProxy: [],
      bodyLimit: 256 * 1024,
      rateLimit: { max: 1000, windowMs: 60_000 },
    },
    log: createLogger({ service: 'ingress', level: 'silent' }),
    metrics: createMetrics('ingress', { defaultMetrics: false }),
  })
  const address = await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => app.close())
  return `${address}/webhooks/slack/interactivity`
}

/** Sara clicks `actionId` on the message as Slack shows it now (its current blocks). */
function click(message: SlackMessage, actionId: string, actionTs: string) {
  return blockActionsPayload({ userId: SARA.slackId, teamId: 'T0HUB00001', channel: message.channel, messageTs: message.ts, actionId, value: String(actionIdValue(message)), actionTs, messageBlocks: message.blocks as unknown[] })
}
const actionIdValue = (message: SlackMessage): string => {
  const actions = (message.blocks as { type: string; elements?: { value?: string }[] }[]).find((block) => block.type === 'actions')
  return actions?.elements?.[0]?.value ?? ''
}

async function postedCard(t: Test) {
  const rig = await startRig(t)
  const url = await ingress(t, rig)
  const omar = await rig.userId('omar')
  const sara = await rig.userId('sara')
  const leadId = await rig.lead({ name: ARABIC_NAME, phone: '+966551234567', user_id: sara })
  const followUp = await rig.odoo.createActivity({ model: 'crm.lead', resId: leadId, summary: 'Call back within 24 h', dateDeadline: '2026-11-30', userId: sara })
  await rig.request('req-card', { dedupeKey: `hot:${leadId}`, leadId, text: 'New hot lead' })
  await waitFor(() => rig.slackServer.messages.length === 1, 'the card in the DM')
  return { rig, url, omar, sara, leadId, followUp, message: rig.slackServer.messages[0]! }
}

t.test('a signed "Contacted" click: a note by Sara, the follow-up done, the message updated; a second click changes nothing', async (t) => {
  const { rig, url, sara, leadId, followUp, message } = await postedCard(t)
  const res = await sendInteraction(url, click(message, 'lead_contacted', '1767868260.000001'), { signingSecret: SIGNING_SECRET })
  t.equal(res.status, 200)
  await waitFor(() => message.edits.length === 1, 'the message updated')

  const saraPartner = rig.odooServer.records('res.users').find((user) => user['id'] === sara)?.['partner_id']
  const notes = rig.odooServer.messages('crm.lead', leadId).filter((m) => String(m['body']).includes('Contacted (marked in Slack'))
  t.equal(notes.length, 1, 'one note')
  t.equal(notes[0]?.['author_id'], saraPartner, 'authored by Sara')
  t.same(rig.odooServer.records('mail.activity').filter((a) => a['id'] === followUp), [], 'the follow-up is no longer open')
  const done = rig.odooServer.messages('crm.lead', leadId).filter((m) => String(m['body']).includes('<span>: </span><span>Call back within 24 h</span>'))
  t.equal(done.length, 1, "Odoo's activity-done message is on the lead")
  t.match(String(done[0]?.['body']), /<span>To-Do<\/span> done .*<div>Contacted by سارة الحربي \(from Slack\)<\/div>/, 'with the feedback')

  const blocks = JSON.stringify(message.blocks)
  t.ok(blocks.includes(`✅ <@${SARA.slackId}> contacted this lead`), 'the message says who did what')
  t.notOk(blocks.includes('lead_contacted'), 'the Contacted button is gone')
  t.ok(blocks.includes('lead_assign_to_me'), 'Assign to me stays')
  t.ok(blocks.includes(`\u2068${ARABIC_NAME}\u2069`), 'the Arabic name still intact after the update')

  // A second click (a double click, or Slack retrying with another action_ts) on the original message.
  const again = await sendInteraction(url, click({ ...message, blocks: JSON.parse(blocks) as unknown }, 'lead_contacted', '1767868270.000002'), { signingSecret: SIGNING_SECRET })
  t.equal(again.status, 200)
  await waitFor(() => message.edits.length === 2, 'the second click handled')
  t.equal(rig.odooServer.messages('crm.lead', leadId).filter((m) => String(m['body']).includes('Contacted (marked in Slack')).length, 1, 'still one note')
  t.equal(JSON.stringify(message.blocks).split('contacted this lead').length - 1, 1, 'the status line once')
  const acted = await waitFor(() => { const lines = rig.lines.filter((line) => line.msg === 'Slack button acted on in Odoo'); return lines.length === 2 && lines }, 'both clicks logged')
  t.same(acted.map((line) => line['changed']), [true, false], 'the second click changed nothing')
})

t.test('"Assign to me" makes Sara the salesperson and says so', async (t) => {
  const { rig, url, omar, leadId, message } = await postedCard(t)
  await rig.odoo.write('crm.lead', [leadId], { user_id: omar })
  const res = await sendInteraction(url, click(message, 'lead_assign_to_me', '1767868280.000003'), { signingSecret: SIGNING_SECRET })
  t.equal(res.status, 200)
  await waitFor(() => message.edits.length === 1, 'the message updated')
  const [lead] = await rig.odoo.read<{ user_id: [number, string] }>('crm.lead', [leadId], ['user_id'])
  t.equal(lead?.user_id[0], await rig.userId('sara'), 'Sara is the salesperson')
  t.ok(JSON.stringify(message.blocks).includes(`👤 <@${SARA.slackId}> took this lead`))
})

t.test('a tampered or stale click is refused and changes nothing', async (t) => {
  const { rig, url, leadId, message } = await postedCard(t)
  const tampered = await sendInteraction(url, click(message, 'lead_assign_to_me', '1767868290.000004'), { signingSecret: SIGNING_SECRET, tamper: (body) => body.replace('U0SARA0001', 'U0MALLORY1') })
  const stale = await sendInteraction(url, click(message, 'lead_contacted', '1767868290.000005'), { signingSecret: SIGNING_SECRET, timestamp: Math.floor(Date.now() / 1000) - 301 })
  t.same([tampered.status, stale.status], [401, 401])
  // Proof that nothing was published: a later good click is the first thing the notifier handles.
  await sendInteraction(url, click(message, 'lead_contacted', '1767868290.000006'), { signingSecret: SIGNING_SECRET })
  await waitFor(() => rig.lines.some((line) => line.msg === 'Slack button acted on in Odoo'), 'the good click handled')
  t.equal(message.edits.length, 1)
  t.equal(rig.lines.filter((line) => line.msg === 'Slack button acted on in Odoo').length, 1, 'only the good click was acted on')
  t.equal(rig.odooServer.messages('crm.lead', leadId).filter((m) => String(m['body']).includes('Contacted (marked in Slack')).length, 1)
})

t.test('a Slack user with no Odoo account: the click is parked with the reason', async (t) => {
  const { rig, url, message } = await postedCard(t)
  rig.slackServer.users.set('stranger@example.com', 'U0STRANGER')
  const payload = { ...click(message, 'lead_contacted', '1767868300.000007'), user: { id: 'U0STRANGER' } }
  t.equal((await sendInteraction(url, payload, { signingSecret: SIGNING_SECRET })).status, 200)
  const parked = await waitFor(async () => (await rig.bus.deadLetters.list('notifier')).at(0), 'the parked click')
  t.equal(parked.reason, 'no active Odoo user has the email of Slack user U0STRANGER')
  t.equal(message.edits.length, 0, 'the message is unchanged')
})

t.test('a double click (two clicks at once) logs one note and completes the follow-up once', async (t) => {
  const { rig, url, leadId, message } = await postedCard(t)
  const results = await Promise.all(['1767868310.000008', '1767868310.000009'].map((ts) => sendInteraction(url, click(message, 'lead_contacted', ts), { signingSecret: SIGNING_SECRET })))
  t.same(results.map((r) => r.status), [200, 200])
  const acted = await waitFor(() => { const lines = rig.lines.filter((line) => line.msg === 'Slack button acted on in Odoo'); return lines.length === 2 && lines }, 'both clicks handled')
  t.same(acted.map((line) => line['changed']).sort(), [false, true], 'the second changed nothing')
  const bodies = rig.odooServer.messages('crm.lead', leadId).map((m) => String(m['body']))
  t.equal(bodies.filter((body) => body.includes('Contacted (marked in Slack')).length, 1, 'one note')
  t.equal(bodies.filter((body) => body.includes('Call back within 24 h')).length, 1, 'one activity-done message')
  t.same(await rig.bus.deadLetters.list('notifier'), [], 'nothing parked')
})
