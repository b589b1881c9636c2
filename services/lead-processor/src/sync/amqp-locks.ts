// Cross-replica per-person locks on the RabbitMQ every replica already uses: a lock is an exclusive,
// auto-deleted queue named after a hash of the key. Declaring it while another connection holds it
// fails with 405 RESOURCE_LOCKED, which we poll; a replica that dies loses its connection and the
// broker deletes its exclusive queues, so a lock can never outlive its holder. No new infrastructure,
// no business state (DESIGN.md: Odoo stays the system of record). Never logs keys (they are emails
// and phone numbers); queue names carry a hash only.
import { createHash } from 'node:crypto'
import amqp from 'amqplib'
import { LockTimeoutError, createMemoryLocks, type PersonLocks } from './locks.js'

export interface AmqpLocksOptions {
  readonly url: string
  /** Queue-name prefix; tests use a unique one per run. Default `lead-processor.lock`. */
  readonly prefix?: string
  /** First poll delay when a lock is taken; doubles up to 200 ms, with jitter. Default 10 ms. */
  readonly pollMs?: number
}

function isLocked(err: unknown): boolean {
  return (err as { code?: number }).code === 405
}

export function createAmqpLocks(options: AmqpLocksOptions): PersonLocks {
  const prefix = options.prefix ?? 'lead-processor.lock'
  const pollMs = options.pollMs ?? 10
  let connecting: Promise<amqp.ChannelModel> | undefined
  // The broker lets the connection that owns an exclusive queue declare it again, so handlers of this
  // replica (sharing one connection) are serialised in process first.
  const local = createMemoryLocks()

  function connection(): Promise<amqp.ChannelModel> {
    connecting ??= amqp.connect(options.url).then(
      (conn) => {
        // A dropped connection released every lock we held; the next acquire reconnects.
        conn.on('close', () => (connecting = undefined))
        conn.on('error', () => undefined)
        return conn
      },
      (err: unknown) => {
        connecting = undefined
        throw err
      },
    )
    return connecting
  }

  const queueOf = (key: string): string => `${prefix}.${createHash('sha256').update(key).digest('hex').slice(0, 40)}`

  async function takeOne(key: string, deadline: number): Promise<() => Promise<void>> {
    const name = queueOf(key)
    let delay = pollMs
    for (;;) {
      const conn = await connection()
      const channel = await conn.createChannel()
      channel.on('error', () => undefined)
      try {
        await channel.assertQueue(name, { exclusive: true, autoDelete: false, durable: false })
        return async () => {
          try {
            await channel.deleteQueue(name)
            await channel.close()
          } catch {
            // Channel or connection already gone: the broker dropped the exclusive queue with it.
          }
        }
      } catch (err) {
        if (!isLocked(err)) throw err
      }
      if (Date.now() + delay > deadline) throw new LockTimeoutError(key, deadline - Date.now() + delay)
      await new Promise((resolve) => setTimeout(resolve, delay * (0.5 + Math.random())))
      delay = Math.min(delay * 2, 200)
    }
  }

  return {
    async acquire(keys, timeoutMs) {
      const deadline = Date.now() + timeoutMs
      const held: (() => Promise<void>)[] = [await local.acquire(keys, timeoutMs)]
      try {
        for (const key of [...new Set(keys)].sort()) held.push(await takeOne(key, deadline))
      } catch (err) {
        for (const release of held.reverse()) await release()
        throw err
      }
      return async () => {
        for (const release of held.reverse()) await release()
      }
    },
    async close() {
      const pending = connecting
      connecting = undefined
      if (pending) await pending.then((c) => c.close()).catch(() => undefined)
    },
  }
}
