// What a lead button does (inbound.slack.action.v1), as the rep who clicked it: "Contacted" logs a note authored
// by that rep and marks the lead's open follow-ups done (the activities the hub scheduled, so the escalation
// stops); "Assign to me" makes that rep the lead's salesperson. The rep is the active Odoo user whose login or
// email is the Slack user's email. Then the Slack message says who did what. Every step first looks whether it
// is already done, so Slack's retries, a redelivery and a second click change nothing more; clicks on one lead
// are handled one at a time in this process, so a double click does not race itself.
import type { EventOf } from '@gassistant/contracts'
import { OdooMissingRecordError, type OdooClient } from '@gassistant/odoo'
import { ACTION_IDS, withStatus, type Block } from './message.js'
import { SlackRefused, type Slack } from './slack.js'

export type ActionResult =
  | { readonly kind: 'done'; readonly changed: boolean; readonly updated: boolean }
  | { readonly kind: 'missing_lead' }
  | { readonly kind: 'refused'; readonly reason: string }

interface OdooUser {
  id: number
  name: string
  partner_id: [number, string] | false
}

export interface ActionDeps {
  readonly odoo: OdooClient
  readonly slack: Slack
}

/** The note's reference to the Slack message: what makes a second "Contacted" on it find the first. */
const noteMarker = (messageTs: string): string => `Slack message ${messageTs}`

export function createActions({ odoo, slack }: ActionDeps) {
  const emails = new Map<string, string>()

  async function emailOf(slackUserId: string): Promise<string | undefined> {
    const known = emails.get(slackUserId)
    if (known !== undefined) return known
    const email = await slack.emailOf(slackUserId)
    if (email !== undefined) emails.set(slackUserId, email)
    return email
  }

  async function odooUserByEmail(email: string): Promise<OdooUser | undefined> {
    const [user] = await odoo.searchRead<OdooUser>('res.users', ['|', ['login', '=ilike', email], ['email', '=ilike', email]], { fields: ['name', 'partner_id'], limit: 1, order: 'id' })
    return user
  }

  /** A note by the rep, once per Slack message; returns whether one was posted now. */
  async function noteContacted(leadId: number, partnerId: number, messageTs: string): Promise<boolean> {
    const marker = noteMarker(messageTs)
    const existing = await odoo.searchCount('mail.message', [['model', '=', 'crm.lead'], ['res_id', '=', leadId], ['author_id', '=', partnerId], ['body', 'ilike', marker]])
    if (existing > 0) return false
    await odoo.executeKw('crm.lead', 'message_post', [[leadId]], {
      body: `Contacted (marked in Slack, ${marker})`,
      message_type: 'comment',
      subtype_xmlid: 'mail.mt_note',
      author_id: partnerId,
    })
    return true
  }

  /** The lead's open activities the hub scheduled (its follow-ups), marked done with feedback; returns how many. */
  async function completeFollowUps(leadId: number, rep: OdooUser): Promise<number> {
    const { uid } = await odoo.connect()
    const open = async () => (await odoo.searchRead<{ id: number }>('mail.activity', [['res_model', '=', 'crm.lead'], ['res_id', '=', leadId], ['create_uid', '=', uid]], { fields: ['id'] })).map((row) => row.id)
    const feedback = `Contacted by ${rep.name} (from Slack)`
    let ids = await open()
    if (ids.length === 0) return 0
    // action_feedback posts the "done" message and deletes the activity (17.0 mail_activity.py, checked on the lab);
    // it answers the message id, which XML-RPC can carry (unlike activity_schedule's None). An activity someone
    // marked done meanwhile faults MissingError for the whole call: ask again for what is still open.
    try {
      await odoo.executeKw('mail.activity', 'action_feedback', [ids], { feedback })
    } catch (error) {
      if (!(error instanceof OdooMissingRecordError)) throw error
      ids = await open()
      if (ids.length > 0) await odoo.executeKw('mail.activity', 'action_feedback', [ids], { feedback })
    }
    return ids.length
  }

  /** One click at a time per lead (per process): the look-before-write steps stay true while they run. */
  const busy = new Map<number, Promise<unknown>>()
  function oneAtATime<T>(leadId: number, run: () => Promise<T>): Promise<T> {
    const previous = busy.get(leadId) ?? Promise.resolve()
    const result = previous.then(run, run)
    const settled = result.catch(() => undefined)
    busy.set(leadId, settled)
    void settled.then(() => {
      if (busy.get(leadId) === settled) busy.delete(leadId)
    })
    return result
  }

  async function actNow(event: EventOf<'inbound.slack.action.v1'>): Promise<ActionResult> {
    const { action, leadId, slackUserId, channel, messageTs } = event.data
    const email = await emailOf(slackUserId)
    if (email === undefined) return { kind: 'refused', reason: `Slack user ${slackUserId} has no email the bot can read (grant users:read.email)` }
    const rep = await odooUserByEmail(email)
    if (rep === undefined || rep.partner_id === false) return { kind: 'refused', reason: `no active Odoo user has the email of Slack user ${slackUserId}` }
    const [lead] = await odoo.searchRead<{ id: number; user_id: [number, string] | false }>('crm.lead', [['id', '=', leadId]], { fields: ['user_id'], limit: 1 })
    if (lead === undefined) return { kind: 'missing_lead' }

    let changed: boolean
    let line: string
    let finished: string | undefined
    if (action === 'contacted') {
      const noted = await noteContacted(leadId, rep.partner_id[0], messageTs)
      const completed = await completeFollowUps(leadId, rep)
      changed = noted || completed > 0
      line = `✅ <@${slackUserId}> contacted this lead`
      finished = ACTION_IDS.contacted
    } else {
      changed = !Array.isArray(lead.user_id) || lead.user_id[0] !== rep.id
      if (changed) await odoo.write('crm.lead', [leadId], { user_id: rep.id })
      line = `👤 <@${slackUserId}> took this lead (now its salesperson in Odoo)`
    }

    const blocks = withStatus((event.data.messageBlocks ?? []) as Block[], line, finished)
    try {
      await slack.update({ channel, ts: messageTs, text: line, blocks })
      return { kind: 'done', changed, updated: true }
    } catch (error) {
      // Odoo is done; a message Slack will not let us edit (deleted, too old) is not worth parking the click for.
      if (error instanceof SlackRefused) return { kind: 'done', changed, updated: false }
      throw error
    }
  }

  return { act: (event: EventOf<'inbound.slack.action.v1'>) => oneAtATime(event.data.leadId, () => actNow(event)) }
}
