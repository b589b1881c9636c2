// The RabbitMQ transport against the shared conformance suite, on the real broker at AMQP_URL.
import t from 'tap'
import { busConformance } from './helpers/conformance.js'
import { rabbitScope } from './helpers/rabbit.js'

busConformance(t, {
  async open(t, { declare = {}, now, log } = {}) {
    const scope = await rabbitScope(t)
    const queues = Object.entries(declare).map(([label, spec]) => ({ ...spec, service: scope.service(label) }))
    const bus = await scope.bus({ declare: queues, ...(now ? { now } : {}), ...(log ? { log } : {}) })
    return { bus, service: (label) => scope.service(label) }
  },
})
