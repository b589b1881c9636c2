// Dead letters of the in-process transport: the same list/replay/purge contract as on RabbitMQ, over
// the parked messages each in-memory queue keeps. Must never drop a message it did not replay or purge.
import { QueueNotFoundError } from '../errors.js'
import { deadQueueName } from '../topology.js'
import type { DeadLetters, ParkedMessage } from '../types.js'
import type { ServiceQueue } from './memory-bus.js'

export function createMemoryDeadLetters(queues: ReadonlyMap<string, ServiceQueue>, dispatch: (queue: ServiceQueue) => void): DeadLetters {
  function existingQueue(service: string): ServiceQueue {
    const queue = queues.get(service)
    if (queue === undefined) throw new QueueNotFoundError(deadQueueName(service))
    return queue
  }

  return {
    async list(service, limit = 100) {
      return existingQueue(service).dead.slice(0, limit)
    },
    async replay(service, replayOptions) {
      const queue = existingQueue(service)
      const wanted = replayOptions?.eventIds === undefined ? undefined : new Set(replayOptions.eventIds)
      const keep: ParkedMessage[] = []
      let replayed = 0
      for (const parked of queue.dead) {
        if (wanted === undefined || wanted.has(parked.eventId)) {
          queue.ready.push({ body: parked.body, attempt: 1 })
          replayed++
        } else {
          keep.push(parked)
        }
      }
      queue.dead.splice(0, queue.dead.length, ...keep)
      dispatch(queue)
      return replayed
    },
    async purge(service) {
      const queue = existingQueue(service)
      return queue.dead.splice(0, queue.dead.length).length
    },
  }
}
