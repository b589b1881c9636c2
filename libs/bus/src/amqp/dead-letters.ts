// Operator access to `<service>.dead` on RabbitMQ: list without consuming, replay to `<service>`,
// purge. Each call uses a short-lived channel of its own so a refused call cannot disturb consumers.
// Must never drop a parked message it did not replay or purge: unmatched ones stay unacked and
// return to the queue when the channel closes.
import { identifyEvent } from '@gassistant/contracts'
import type { AmqpConnectionManagerClass } from 'amqp-connection-manager'
import type { ConfirmChannel, GetMessage } from 'amqplib'
import { BrokerUnavailableError, QueueNotFoundError } from '../errors.js'
import type { BusLogger } from '../logger.js'
import { CRASH_DELIVERY_LIMIT, deadQueueName, queueName } from '../topology.js'
import type { DeadLetters, ParkedMessage } from '../types.js'
import { Header, baseHeaders, copyProperties, headerText, publishConfirmed, readAttempt, replyCode } from './wire.js'

function eventFacts(message: GetMessage): { eventId: string; type: string } {
  const { messageId, type } = message.properties as { messageId?: unknown; type?: unknown }
  if (typeof messageId === 'string' && typeof type === 'string') return { eventId: messageId, type }
  const body = identifyEvent(message.content)
  return { eventId: body.id ?? '', type: body.type ?? '' }
}

function toParked(message: GetMessage): ParkedMessage {
  const reason =
    headerText(message.properties, Header.parkedReason) ??
    // No reason of ours: the broker dead-lettered it itself, after CRASH_DELIVERY_LIMIT deliveries
    // that never came back with an outcome (the consumer died or lost its connection each time).
    `dead-lettered by the broker (${headerText(message.properties, 'x-first-death-reason') ?? 'unknown'}): ` +
      `no outcome after ${CRASH_DELIVERY_LIMIT} deliveries`
  return {
    ...eventFacts(message),
    reason,
    attempts: readAttempt(message.properties),
    parkedAt: headerText(message.properties, Header.parkedAt) ?? '',
    body: message.content,
  }
}

export function createAmqpDeadLetters(manager: AmqpConnectionManagerClass, log: BusLogger): DeadLetters {
  async function withDeadQueue<T>(service: string, work: (channel: ConfirmChannel, dead: string) => Promise<T>): Promise<T> {
    const connection = manager.connection
    if (connection === undefined) throw new BrokerUnavailableError()
    const channel = await connection.createConfirmChannel()
    // A refused call closes the channel with an error event; the promise below already reports it.
    channel.on('error', () => undefined)
    const dead = deadQueueName(service)
    try {
      await channel.checkQueue(dead)
    } catch (error) {
      if (replyCode(error) === 404) throw new QueueNotFoundError(dead, { cause: error })
      throw error
    }
    try {
      return await work(channel, dead)
    } finally {
      await channel.close().catch(() => undefined)
    }
  }

  return {
    list(service, limit = 100) {
      return withDeadQueue(service, async (channel, dead) => {
        const parked: ParkedMessage[] = []
        while (parked.length < limit) {
          const message = await channel.get(dead, { noAck: false })
          if (message === false) break
          parked.push(toParked(message))
        }
        return parked
      })
    },

    replay(service, options) {
      const wanted = options?.eventIds === undefined ? undefined : new Set(options.eventIds)
      return withDeadQueue(service, async (channel, dead) => {
        let replayed = 0
        for (;;) {
          const message = await channel.get(dead, { noAck: false })
          if (message === false) break
          if (wanted !== undefined && !wanted.has(eventFacts(message).eventId)) continue
          // A fresh attempt count: the operator fixed the cause, so the message gets its full retries again.
          const headers = { ...baseHeaders(message.properties), [Header.attempt]: 1 }
          await publishConfirmed(channel, '', queueName(service), message.content, copyProperties(message.properties, headers))
          channel.ack(message)
          replayed++
        }
        log.info({ service, replayed }, 'parked messages replayed')
        return replayed
      })
    },

    purge(service) {
      return withDeadQueue(service, async (channel, dead) => {
        const { messageCount } = await channel.purgeQueue(dead)
        log.info({ service, purged: messageCount }, 'parked messages purged')
        return messageCount
      })
    },
  }
}
