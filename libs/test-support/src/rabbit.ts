// A RabbitMQ virtual host of a test's own, for what must not touch other tests sharing the broker:
// force-closing every connection, or proving a command declared nothing. Uses rabbitmqctl on this machine.
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { promisify } from 'node:util'

const run = promisify(execFile)
/** rabbitmqctl on this machine, bounded to 30 s. */
export const rabbitmqctl = (...args: string[]) => run('rabbitmqctl', args, { timeout: 30_000 })

export interface RabbitVhost {
  /** The vhost's name, for rabbitmqctl -p and definitions files. */
  readonly name: string
  /** AMQP_URL (or `amqp://guest:guest@127.0.0.1:5672`) with the path set to the new vhost. */
  readonly url: string
  /** What an operator's `rabbitmqctl close_all_connections` or a broker failover does, to this vhost only. */
  closeAllConnections(): Promise<void>
}

/** Creates the vhost with full permissions for the URL's user; deletes it (and everything in it) at teardown. */
export async function rabbitVhost(t: { teardown(fn: () => unknown): void }): Promise<RabbitVhost> {
  const vhost = `gassistant-test-${randomBytes(4).toString('hex')}`
  await rabbitmqctl('add_vhost', vhost)
  t.teardown(async () => {
    await rabbitmqctl('delete_vhost', vhost)
  })
  const url = new URL(process.env['AMQP_URL'] ?? 'amqp://guest:guest@127.0.0.1:5672')
  await rabbitmqctl('set_permissions', '-p', vhost, decodeURIComponent(url.username), '.*', '.*', '.*')
  url.pathname = `/${encodeURIComponent(vhost)}`
  return {
    name: vhost,
    url: url.toString(),
    async closeAllConnections() {
      await rabbitmqctl('close_all_connections', '-p', vhost, 'test')
    },
  }
}
