// Typed publish errors: callers branch on `code`, never on message text.
export class BusError extends Error {
  readonly code: string
  readonly retryable: boolean
  constructor(code: string, message: string, retryable: boolean, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
    this.code = code
    this.retryable = retryable
  }
}

/** The broker cannot be reached right now; the ingress answers 503 with Retry-After. */
export class BrokerUnavailableError extends BusError {
  constructor(message = 'message broker unavailable', options?: { cause?: unknown }) {
    super('BROKER_UNAVAILABLE', message, true, options)
  }
}

/** The broker refused the message (nack). */
export class PublishRejectedError extends BusError {
  constructor(message = 'message broker rejected the message', options?: { cause?: unknown }) {
    super('PUBLISH_REJECTED', message, true, options)
  }
}

/** No confirm arrived in time; the message may or may not be queued (ids make a retry safe). */
export class PublishTimeoutError extends BusError {
  constructor(message = 'message broker did not confirm in time', options?: { cause?: unknown }) {
    super('PUBLISH_TIMEOUT', message, true, options)
  }
}

/** An operator command named a service that has no queues on this broker. */
export class QueueNotFoundError extends BusError {
  constructor(queue: string, options?: { cause?: unknown }) {
    super('QUEUE_NOT_FOUND', `queue not found: ${queue}`, false, options)
  }
}

/**
 * The broker refused the declared topology (AMQP 403/404/406: e.g. a queue that already exists with other
 * arguments, or missing permissions). Retrying cannot help; an operator must reconcile the definitions.
 */
export class TopologyError extends BusError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('TOPOLOGY_MISMATCH', message, false, options)
  }
}
