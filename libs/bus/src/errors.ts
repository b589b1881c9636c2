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
