// Operator access to the parked messages on a RabbitMQ, for `pnpm hub dead …`: connects without
// declaring anything (no exchange, no queue) — an inspection must never change the broker it inspects —
// and each call checks `<service>.dead` passively, so a mistyped service is reported, not created.
import { AmqpConnectionManagerClass } from 'amqp-connection-manager'
import { BrokerUnavailableError } from '../errors.js'
import { silentLogger, type BusLogger } from '../logger.js'
import type { DeadLetters } from '../types.js'
import { createAmqpDeadLetters } from './dead-letters.js'
import { describeBroker } from './wire.js'

export interface DeadLetterAccessOptions {
  /** `amqp://user:pass@host:5672/vhost`. */
  readonly url: string
  /** How long to wait for the connection. Default 5 000 ms. */
  readonly connectTimeoutMs?: number
  /** Shown in the broker's connection list. Default `gassistant-operator`. */
  readonly connectionName?: string
  /** Default: silent. */
  readonly log?: BusLogger
}

export interface DeadLetterAccess {
  /** Which broker this is (host:port/vhost, never the credentials), for the operator to see. */
  readonly broker: string
  readonly deadLetters: DeadLetters
  close(): Promise<void>
}

/** Rejects with BrokerUnavailableError (naming host and vhost only) when the broker cannot be reached in time. */
export async function openDeadLetters(options: DeadLetterAccessOptions): Promise<DeadLetterAccess> {
  const broker = describeBroker(options.url)
  const connectTimeoutMs = options.connectTimeoutMs ?? 5_000
  const manager = new AmqpConnectionManagerClass([options.url], {
    reconnectTimeInSeconds: 1,
    connectionOptions: { clientProperties: { connection_name: options.connectionName ?? 'gassistant-operator' }, timeout: connectTimeoutMs },
  })
  try {
    await manager.connect({ timeout: connectTimeoutMs })
  } catch (error) {
    await manager.close().catch(() => undefined)
    throw new BrokerUnavailableError(`message broker unavailable at ${broker}`, { cause: error })
  }
  return {
    broker,
    deadLetters: createAmqpDeadLetters(manager, options.log ?? silentLogger),
    close: () => manager.close(),
  }
}
