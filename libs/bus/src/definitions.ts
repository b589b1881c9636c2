// The RabbitMQ definitions file (the format `rabbitmqctl import_definitions` and `load_definitions`
// read) for a set of services, built from the same serviceTopology the transports declare, so a
// broker seeded from it and the services asserting their queues can never disagree.
// Must never contain users, passwords or anything else secret: the file is committed.
import { serviceTopology } from './topology.js'
import { EXCHANGE, type QueueSpec } from './types.js'

export interface DefinitionsOptions {
  /** Default `gassistant.events`. */
  readonly exchange?: string
  /** Default `/`. */
  readonly vhost?: string
}

export interface RabbitDefinitions {
  readonly exchanges: readonly Record<string, unknown>[]
  readonly queues: readonly Record<string, unknown>[]
  readonly bindings: readonly Record<string, unknown>[]
}

export function rabbitDefinitions(specs: readonly QueueSpec[], options: DefinitionsOptions = {}): RabbitDefinitions {
  const exchange = options.exchange ?? EXCHANGE
  const vhost = options.vhost ?? '/'
  const topologies = specs.map(serviceTopology)
  return {
    exchanges: [{ name: exchange, vhost, type: 'topic', durable: true, auto_delete: false, internal: false, arguments: {} }],
    queues: topologies.flatMap((topology) =>
      [topology.main, ...topology.retries, topology.dead].map((queue) => ({
        name: queue.name,
        vhost,
        durable: true,
        auto_delete: false,
        arguments: queue.arguments,
      })),
    ),
    bindings: topologies.flatMap((topology) =>
      topology.bindings.map((binding) => ({
        source: exchange,
        vhost,
        destination: topology.main.name,
        destination_type: 'queue',
        routing_key: binding,
        arguments: {},
      })),
    ),
  }
}
