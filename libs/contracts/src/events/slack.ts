// Events that come from Slack through the ingress: a click on one of the notifier's lead buttons.
import Type from 'typebox'
import { eventSchema } from '../envelope.js'
import { NonEmpty, OdooId } from './common.js'

/** The notifier's lead buttons (their `action_id` in the message it posted). */
export const SlackLeadAction = Type.Union([Type.Literal('contacted'), Type.Literal('assign_to_me')])

/**
 * A signed Slack button click on a lead message ("Contacted", "Assign to me"). The event id is built from the
 * click itself (team, user, action and `action_ts`), so Slack retrying one interaction publishes the same event.
 * Carries Slack ids, never an email: the notifier asks Slack who the user is.
 */
export const SlackAction = eventSchema(
  'inbound.slack.action.v1',
  Type.Object({
    action: SlackLeadAction,
    leadId: OdooId,
    /** Who clicked (Slack user id) and in which workspace. */
    slackUserId: NonEmpty,
    slackTeamId: Type.Optional(NonEmpty),
    /** The message the button belongs to, for chat.update. */
    channel: NonEmpty,
    messageTs: NonEmpty,
    /** Slack's `action_ts` of the click. */
    actionTs: NonEmpty,
    /** The message's blocks as Slack sent them back, so the update keeps what the message said. */
    messageBlocks: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()), { maxItems: 50 })),
  }),
)
