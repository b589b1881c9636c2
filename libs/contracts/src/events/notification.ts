// Requests to tell a person something, and what became of them.
import Type from 'typebox'
import { eventSchema } from '../envelope.js'
import { NonEmpty, OdooId } from './common.js'

export const NotificationChannel = Type.Literal('slack')

export const NotificationRecipient = Type.Object({
  /** The salesperson's email, resolved to a Slack user by the notifier. */
  userEmail: Type.Optional(Type.String()),
  slackUserId: Type.Optional(Type.String()),
  /** A channel id or name; the default channel when nothing else resolves. */
  channel: Type.Optional(Type.String()),
})

export const NotificationRequested = eventSchema(
  'notification.requested.v1',
  Type.Object({
    /** Same key, same notification: the notifier posts once per key whatever the redeliveries. */
    dedupeKey: NonEmpty,
    channel: NotificationChannel,
    recipient: NotificationRecipient,
    text: NonEmpty,
    /** Slack Block Kit blocks, passed through as they are. */
    blocks: Type.Optional(Type.Array(Type.Record(Type.String(), Type.Unknown()))),
    leadId: Type.Optional(OdooId),
    ruleId: Type.Optional(NonEmpty),
  }),
)

export const NotificationDelivered = eventSchema(
  'notification.delivered.v1',
  Type.Object({
    dedupeKey: NonEmpty,
    channel: NotificationChannel,
    target: NonEmpty,
    messageTs: Type.Optional(Type.String()),
    requestEventId: NonEmpty,
  }),
)

export const NotificationFailed = eventSchema(
  'notification.failed.v1',
  Type.Object({
    dedupeKey: NonEmpty,
    channel: NotificationChannel,
    reason: NonEmpty,
    requestEventId: NonEmpty,
  }),
)
