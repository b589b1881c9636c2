// The Slack message of a notification: Block Kit within its limits whatever the data, people's text escaped and
// isolated as bidirectional text, the WhatsApp link only for an international number, and the update after a click.
import t from 'tap'
import { ACTION_IDS, buildMessage, isolate, whatsappLink } from '../src/message.js'
import { withStatus } from '../src/message.js'
import { parseBreakdown, type LeadCard } from '../src/lead.js'

const URL_BASE = 'https://crm.example.sa/'
const lead = (extra: Partial<LeadCard> = {}): LeadCard => ({ id: 7, name: 'محمد عبدالله القحطاني', reasons: [], ...extra })
type Section = { type: string; text?: { text: string }; fields?: { text: string }[]; elements?: { action_id?: string; url?: string; text?: unknown }[] }

t.test('names are isolated and escaped: an Arabic name cannot reorder the English sentence, a "<" cannot become a link', async (t) => {
  t.equal(isolate('سارة'), '\u2068سارة\u2069')
  const message = buildMessage({ headline: 'Lead <needs> you & now', lead: lead({ name: 'علي <@U123>', campaign: 'رمضان & العيد' }), odooPublicUrl: URL_BASE })
  t.equal(message.text, 'Lead <needs> you & now: \u2068علي <@U123>\u2069', 'the fallback text is plain text (Slack shows it in notifications)')
  const blocks = message.blocks as Section[]
  t.equal(blocks[0]?.text?.text, '*Lead &lt;needs&gt; you &amp; now*')
  t.equal(blocks[1]?.fields?.[0]?.text, '*Lead*\n\u2068علي &lt;@U123&gt;\u2069', 'no mention can be smuggled in a name')
  t.ok(blocks[1]?.fields?.some((field) => field.text === '*Campaign*\n\u2068رمضان &amp; العيد\u2069'))
  const actions = blocks.at(-1)
  t.same(actions?.elements?.map((element) => element.action_id), [ACTION_IDS.contacted, ACTION_IDS.assignToMe, ACTION_IDS.open])
  t.equal(actions?.elements?.[2]?.url, 'https://crm.example.sa/web#id=7&model=crm.lead&view_type=form', 'one slash, whatever ODOO_PUBLIC_URL ends with')
})

t.test('within Block Kit limits: a huge name, many extra blocks, ten fields at most', async (t) => {
  const huge = 'ب'.repeat(10_000)
  const extra = Array.from({ length: 80 }, (_, i) => ({ type: 'section', text: { type: 'mrkdwn', text: `extra ${i}` } }))
  const message = buildMessage({ headline: huge, extraBlocks: extra, lead: lead({ name: huge, contactName: huge, phone: '+966551234567', source: huge, medium: huge, campaign: huge, salesperson: { id: 2, name: huge }, score: 91, reasons: [{ points: 50, en: huge }] }), odooPublicUrl: URL_BASE })
  const blocks = message.blocks as Section[]
  t.equal(blocks.length, 50, 'at most 50 blocks')
  t.equal(blocks.at(-1)?.type, 'actions', 'the buttons survive the cut')
  for (const block of blocks) {
    if (block.text) t.ok([...block.text.text].length <= 3_000, 'section text ≤ 3,000')
    if (block.fields) {
      t.ok(block.fields.length <= 10, 'at most 10 fields')
      t.ok(block.fields.every((field) => [...field.text].length <= 2_000), 'fields ≤ 2,000')
    }
  }
  t.ok([...message.text].length <= 4_000, 'the fallback text is bounded')
  t.ok(message.text.endsWith('…'), 'a cut is marked')
})

t.test('a notification without a lead is its text (and the requester blocks)', async (t) => {
  const extra = [{ type: 'divider' }]
  t.same(buildMessage({ headline: 'Daily summary', extraBlocks: extra, odooPublicUrl: URL_BASE }), {
    text: 'Daily summary',
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*Daily summary*' } }, { type: 'divider' }],
  })
})

t.test('WhatsApp links only for international numbers', async (t) => {
  t.equal(whatsappLink('+966 55 123 4567'), 'https://wa.me/966551234567')
  t.equal(whatsappLink('0551234567'), undefined, 'no country code: no link')
  t.equal(whatsappLink('+12'), undefined, 'too short')
})

t.test('the score shows its three biggest reasons; no score, no reasons', async (t) => {
  const reasons = parseBreakdown(JSON.stringify([
    { rule: 'a', points: 5, reason: { en: 'small', ar: 'ص' } },
    { rule: 'b', points: 40, reason: { en: 'big', ar: 'ك' } },
    { rule: 'c', points: -10, reason: { en: 'penalty', ar: 'ع' } },
    { rule: 'd', points: 20, reason: { en: 'mid', ar: 'م' } },
  ]))
  t.same(reasons.map((reason) => reason.points), [40, 20, 5, -10])
  t.same(parseBreakdown('not json'), [])
  t.same(parseBreakdown(false), [])
  const scored = JSON.stringify(buildMessage({ headline: 'x', lead: lead({ score: 72, reasons }), odooPublicUrl: URL_BASE }).blocks)
  t.match(scored, /\+40 \u2068big\u2069\\n• \+20 \u2068mid\u2069\\n• \+5 \u2068small\u2069"/)
  t.notOk(scored.includes('penalty'))
  t.notOk(JSON.stringify(buildMessage({ headline: 'x', lead: lead({ reasons }), odooPublicUrl: URL_BASE }).blocks).includes('Why this score'), 'unscored: no reasons')
})

t.test('after a click: one status line per fact, the finished button gone', async (t) => {
  const { blocks } = buildMessage({ headline: 'x', lead: lead(), odooPublicUrl: URL_BASE })
  const once = withStatus(blocks, '✅ contacted', ACTION_IDS.contacted)
  const twice = withStatus(once, '✅ contacted', ACTION_IDS.contacted)
  const assigned = withStatus(twice, '👤 took it')
  t.same(twice, once, 'the same line again changes nothing')
  const status = assigned.at(-1) as { block_id: string; elements: { text: string }[] }
  t.equal(status.block_id, 'gassistant_status')
  t.same(status.elements.map((element) => element.text), ['✅ contacted', '👤 took it'])
  const actions = assigned.find((block) => block['type'] === 'actions') as Section
  t.same(actions.elements?.map((element) => element.action_id), [ACTION_IDS.assignToMe, ACTION_IDS.open])
})

t.test('a full message keeps its headline and buttons when the status is added', async (t) => {
  const extra = Array.from({ length: 80 }, (_, i) => ({ type: 'section', text: { type: 'mrkdwn', text: `extra ${i}` } }))
  const { blocks } = buildMessage({ headline: 'Headline', extraBlocks: extra, lead: lead(), odooPublicUrl: URL_BASE })
  const updated = withStatus(blocks, '✅ done')
  t.equal(updated.length, 50)
  t.same(updated[0], blocks[0], 'the headline stays')
  t.equal(updated.at(-2)?.['type'], 'actions', 'the buttons stay')
  t.equal(updated.at(-1)?.['block_id'], 'gassistant_status')
})
