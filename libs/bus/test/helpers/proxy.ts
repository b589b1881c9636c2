// A TCP proxy in front of RabbitMQ, so tests can cut the network the way real outages do:
// `drop` kills connections and refuses new ones, `blackhole` keeps sockets open but passes nothing.
import net from 'node:net'

export type ProxyMode = 'pass' | 'drop' | 'blackhole'

export interface TcpProxy {
  readonly url: string
  setMode(mode: ProxyMode): void
  close(): Promise<void>
}

export async function startProxy(target: { host: string; port: number }, user = 'guest:guest'): Promise<TcpProxy> {
  let mode: ProxyMode = 'pass'
  const sockets = new Set<net.Socket>()
  const server = net.createServer((client) => {
    if (mode === 'drop') {
      client.destroy()
      return
    }
    const upstream = net.connect(target)
    for (const socket of [client, upstream]) {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
      socket.on('error', () => undefined)
    }
    client.on('data', (chunk) => mode === 'pass' && upstream.write(chunk))
    upstream.on('data', (chunk) => mode === 'pass' && client.write(chunk))
    client.on('close', () => upstream.destroy())
    upstream.on('close', () => client.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  return {
    url: `amqp://${user}@127.0.0.1:${port}`,
    setMode(next) {
      mode = next
      if (next === 'drop') for (const socket of sockets) socket.destroy()
    },
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
