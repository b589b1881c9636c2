// The parked messages of every consuming service (HUB_TOPOLOGY), through libs/bus's operator access
// (`openDeadLetters`, the same as `pnpm hub dead`) or, under `pnpm start`, the in-process bus's. The broker
// connection is opened on first use and reopened after a failure. Bodies never leave this module: the page
// shows ids, types, reasons (masked: they may quote Odoo's words about a person) and attempts.
import { maskReason, openDeadLetters, type DeadLetterAccess, type DeadLetters } from '@gassistant/bus'
import { HUB_TOPOLOGY } from '@gassistant/contracts'

export interface ParkedView { eventId: string; type: string; reason: string; attempts: number; parkedAt: string }
export interface ServiceDeadLetters { service: string; messages: ParkedView[]; more: boolean }

export interface DeadLetterSource {
  readonly services: readonly string[]
  list(): Promise<ServiceDeadLetters[]>
  replay(service: string): Promise<number>
  purge(service: string): Promise<number>
  close(): Promise<void>
}

/** How many parked messages of each service the page lists (the count on /metrics has them all). */
const SHOWN = 50

export class UnknownServiceError extends Error {
  readonly statusCode = 404
  readonly code = 'UNKNOWN_SERVICE'
  constructor(service: string) {
    super(`no dead-letter queue for service ${service.slice(0, 60)}`)
  }
}

export function consumingServices(): string[] {
  return Object.keys(HUB_TOPOLOGY).sort()
}

export function createDeadLetterSource(open: () => Promise<{ deadLetters: DeadLetters; close(): Promise<void> }>): DeadLetterSource {
  const services = consumingServices()
  let access: Promise<{ deadLetters: DeadLetters; close(): Promise<void> }> | undefined
  async function use<T>(work: (deadLetters: DeadLetters) => Promise<T>): Promise<T> {
    access ??= open()
    const current = access
    try {
      return await work((await current).deadLetters)
    } catch (error) {
      // A lost connection: the next call opens a new one.
      if (access === current) access = undefined
      await current.then((opened) => opened.close()).catch(() => undefined)
      throw error
    }
  }
  const known = (service: string): void => {
    if (!services.includes(service)) throw new UnknownServiceError(service)
  }
  return {
    services,
    list: () => use(async (deadLetters) => Promise.all(services.map(async (service) => {
      const parked = await deadLetters.list(service, SHOWN + 1)
      return {
        service,
        messages: parked.slice(0, SHOWN).map((message) => ({ eventId: message.eventId, type: message.type, reason: maskReason(message.reason), attempts: message.attempts, parkedAt: message.parkedAt })),
        more: parked.length > SHOWN,
      }
    }))),
    replay: (service) => (known(service), use((deadLetters) => deadLetters.replay(service))),
    purge: (service) => (known(service), use((deadLetters) => deadLetters.purge(service))),
    async close() {
      const current = access
      access = undefined
      await current?.then((opened) => opened.close()).catch(() => undefined)
    },
  }
}

/** On a RabbitMQ: the operator connection of `pnpm hub dead`. */
export function amqpDeadLetters(url: string): DeadLetterSource {
  return createDeadLetterSource((): Promise<DeadLetterAccess> => openDeadLetters({ url, connectionName: 'dashboard' }))
}

/** The bus this process already has (the in-process bus of `pnpm start`): nothing to open or close. */
export function busDeadLetters(deadLetters: DeadLetters): DeadLetterSource {
  return createDeadLetterSource(async () => ({ deadLetters, close: async () => undefined }))
}
