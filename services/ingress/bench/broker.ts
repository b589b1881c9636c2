// The bench's own RabbitMQ vhost, created with rabbitmqctl and deleted afterwards (also on Ctrl+C), so a
// run never touches another vhost's queues; short-lived admin connections to purge and count.
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { promisify } from 'node:util'
import amqp from 'amqplib'

const run = promisify(execFile)
const rabbitmqctl = (...args: string[]) => run('rabbitmqctl', args, { timeout: 60_000 })

export interface BenchVhost {
  name: string
  url: string
  /** Runs `work` on a fresh channel of a fresh connection. */
  admin<T>(work: (channel: amqp.Channel) => Promise<T>): Promise<T>
  remove(): Promise<void>
}

export async function createVhost(baseUrl: string): Promise<BenchVhost> {
  const name = `bench-ingress-${randomBytes(4).toString('hex')}`
  await rabbitmqctl('add_vhost', name)
  await rabbitmqctl('set_permissions', '-p', name, 'guest', '.*', '.*', '.*')
  const url = new URL(baseUrl)
  url.pathname = `/${encodeURIComponent(name)}`
  let removed: Promise<void> | undefined
  return {
    name,
    url: url.toString(),
    async admin(work) {
      const connection = await amqp.connect(url.toString())
      connection.on('error', () => undefined)
      try {
        return await work(await connection.createChannel())
      } finally {
        await connection.close().catch(() => undefined)
      }
    },
    remove() {
      removed ??= rabbitmqctl('delete_vhost', name).then(() => undefined)
      return removed
    },
  }
}
