// Measures confirmed-publish and end-to-end throughput on the real broker (or the in-process bus with
// `--memory`). Run: node --conditions=gassistant-source --import tsx libs/bus/bench/throughput.ts [count]
import { randomBytes } from 'node:crypto'
import amqplib from 'amqplib'
import { createEvent, EventType } from '@gassistant/contracts'
import { DEFAULT_RETRY, createAmqpBus, createMemoryBus, deadQueueName, done, retryQueueName, type Bus } from '../src/index.js'

const count = Number(process.argv.find((arg) => /^\d+$/.test(arg)) ?? 2_000)
const memory = process.argv.includes('--memory')
const url = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672'
const run = randomBytes(4).toString('hex')
const exchange = `bench.events.${run}`
const service = `bench-${run}`

const bus: Bus = memory ? createMemoryBus() : await createAmqpBus({ url, exchange })
let handled = 0
let allHandled: () => void = () => undefined
const finished = new Promise<void>((resolve) => (allHandled = resolve))
await bus.subscribe({
  service,
  bindings: ['inbound.#'],
  prefetch: 50,
  handler: async () => {
    if (++handled === count) allHandled()
    return done
  },
})
const events = Array.from({ length: count }, (_, i) =>
  createEvent({
    type: EventType.MetaLeadgen,
    source: '/bench',
    id: `meta:${run}${i}`,
    data: { leadgenId: `${1e15 + i}`, pageId: '104857600112233', formId: '987654321098765', createdTime: 1767868290 },
  }),
)
const started = performance.now()
// Batches of 50, as an ingress request with a batched Meta webhook would publish them.
for (let i = 0; i < count; i += 50) await bus.publish(events.slice(i, i + 50))
const published = performance.now() - started
await finished
const total = performance.now() - started
// Latency of one confirmed publish, which is what an ingress request waits for.
const latencies: number[] = []
for (const event of events.slice(0, 200)) {
  const t0 = performance.now()
  await bus.publish({ ...event, id: `${event.id}-single` })
  latencies.push(performance.now() - t0)
}
latencies.sort((a, b) => a - b)
const p = (q: number) => (latencies[Math.floor(q * (latencies.length - 1))] ?? 0).toFixed(2)
await bus.close()
console.log(
  `${memory ? 'memory' : 'rabbitmq'}: ${count} events; confirmed publish ${Math.round(count / (published / 1000))}/s; ` +
    `end-to-end ${Math.round(count / (total / 1000))}/s (${total.toFixed(0)} ms); single publish p50 ${p(0.5)} ms, p99 ${p(0.99)} ms`,
)
if (!memory) {
  const connection = await amqplib.connect(url)
  const channel = await connection.createChannel()
  for (const queue of [service, deadQueueName(service), ...DEFAULT_RETRY.delaysMs.map((d) => retryQueueName(service, d))]) {
    await channel.deleteQueue(queue)
  }
  await channel.deleteExchange(exchange)
  await connection.close()
}
