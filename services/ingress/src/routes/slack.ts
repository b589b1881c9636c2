// Slack's Interactivity Request URL: POST /webhooks/slack/interactivity, form-encoded with one field `payload`
// (JSON), signed with X-Slack-Signature (route config `signature: 'slack'`). A click on a notifier lead button
// ("Contacted", "Assign to me") → inbound.slack.action.v1, answered 200 as soon as the broker confirmed it
// (Slack wants an answer within 3 s; the notifier does the Odoo work afterwards). Other interactions (the
// "Open in Odoo" link button, anything this hub did not send) are acknowledged without an event.
// The event id is the click's identity (team, user, action, action_ts), so Slack retrying it publishes the same event.
// Must never publish an unsigned or replayed body, nor log the payload (it carries the message's personal data).
import type { AnyEvent } from '@gassistant/contracts'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import Type, { type Static } from 'typebox'
import { Compile } from 'typebox/compile'
import { checkAt, parseJson } from '../body.js'
import { urlEncodedBodies } from '../plugins/body-parsers.js'
import { Accepted, type Publisher } from '../publish.js'

/** action_id of the notifier's buttons (services/notifier src/message.ts ACTION_IDS) → the event's action. */
const ACTIONS: Readonly<Record<string, 'contacted' | 'assign_to_me'>> = { lead_contacted: 'contacted', lead_assign_to_me: 'assign_to_me' }

const Form = Type.Object({ payload: Type.String({ minLength: 2 }) })

const Id = Type.String({ minLength: 1, maxLength: 64 })
const BlockActionsSchema = Type.Object({
  type: Type.Literal('block_actions'),
  user: Type.Object({ id: Id }),
  team: Type.Optional(Type.Union([Type.Object({ id: Id }), Type.Null()])),
  container: Type.Object({ message_ts: Type.Optional(Id), channel_id: Type.Optional(Id) }),
  channel: Type.Optional(Type.Object({ id: Id })),
  message: Type.Optional(Type.Object({ blocks: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()), { maxItems: 50 })) })),
  actions: Type.Array(
    Type.Object({ action_id: Type.String({ minLength: 1, maxLength: 255 }), value: Type.Optional(Type.String()), action_ts: Id }),
    { minItems: 1 },
  ),
})
const BlockActions = Compile(BlockActionsSchema)
type BlockActions = Static<typeof BlockActionsSchema>

function slackEvents(payload: BlockActions, publisher: Publisher): AnyEvent[] {
  const channel = payload.container.channel_id ?? payload.channel?.id
  const messageTs = payload.container.message_ts
  return payload.actions.flatMap((click) => {
    const action = ACTIONS[click.action_id]
    // Only our lead buttons on a message act; their value is the lead id.
    if (action === undefined || channel === undefined || messageTs === undefined || !/^[1-9]\d{0,9}$/.test(click.value ?? '')) return []
    const teamId = payload.team?.id
    return [
      publisher.event({
        type: 'inbound.slack.action.v1',
        id: `slack:${teamId ?? '-'}:${payload.user.id}:${click.action_id}:${click.action_ts}`,
        subject: `odoo:crm.lead:${click.value}`,
        data: {
          action,
          leadId: Number(click.value),
          slackUserId: payload.user.id,
          ...(teamId === undefined ? {} : { slackTeamId: teamId }),
          channel,
          messageTs,
          actionTs: click.action_ts,
          ...(payload.message?.blocks === undefined ? {} : { messageBlocks: payload.message.blocks }),
        },
      }),
    ]
  })
}

export interface SlackRouteOptions {
  publisher: Publisher
}

export const slackRoutes: FastifyPluginAsyncTypebox<SlackRouteOptions> = async (app, { publisher }) => {
  urlEncodedBodies(app)
  const schema = { body: Form, response: { 200: Accepted } }
  app.post('/webhooks/slack/interactivity', { config: { signature: 'slack' }, schema }, async (request) => {
    const payload = parseJson(Buffer.from(request.body.payload, 'utf8')) as { type?: unknown }
    if (payload?.type !== 'block_actions') {
      request.log.info({ slack_type: typeof payload?.type === 'string' ? payload.type.slice(0, 40) : undefined }, 'slack interaction acknowledged without publishing')
      return { received: true as const, ...(await publisher.publish(request, [])) }
    }
    const events = slackEvents(checkAt(BlockActions, payload, '/payload'), publisher)
    return { received: true as const, ...(await publisher.publish(request, events)) }
  })
}
