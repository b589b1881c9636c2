// Open-loop load at a fixed rate: requests leave on a steady clock whatever the answers do, so latency
// is not hidden by a client waiting on slow answers (coordinated omission). autocannon's rate limit
// releases each second's budget in a burst, which measures the burst rather than the rate.
import http from 'node:http'

export interface PacedResult { sent: number; ok: number; failed: number; p50: number; p99: number }

export async function paced(options: { port: number; path: string; body: string; headers: Record<string, string>; rate: number; seconds: number }): Promise<PacedResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 })
  const latencies: number[] = []
  let sent = 0
  let failed = 0
  const pending = new Set<Promise<void>>()
  const fire = () => {
    const started = performance.now()
    const request = new Promise<void>((resolve) => {
      const req = http.request(
        { host: '127.0.0.1', port: options.port, path: options.path, method: 'POST', agent, headers: { ...options.headers, 'content-length': Buffer.byteLength(options.body) } },
        (res) => {
          res.resume()
          res.on('end', () => {
            if (res.statusCode === 200) latencies.push(performance.now() - started)
            else failed++
            resolve()
          })
        },
      )
      req.on('error', () => {
        failed++
        resolve()
      })
      req.end(options.body)
    })
    pending.add(request)
    void request.then(() => pending.delete(request))
  }
  const start = performance.now()
  const end = start + options.seconds * 1000
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const now = performance.now()
      const due = Math.floor(((Math.min(now, end) - start) / 1000) * options.rate)
      while (sent < due) {
        sent++
        fire()
      }
      if (now >= end) {
        clearInterval(timer)
        resolve()
      }
    }, 1)
  })
  await Promise.all(pending)
  agent.destroy()
  latencies.sort((a, b) => a - b)
  const at = (q: number) => Math.round((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN) * 10) / 10
  return { sent, ok: latencies.length, failed, p50: at(0.5), p99: at(0.99) }
}
