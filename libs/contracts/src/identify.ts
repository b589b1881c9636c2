// What a raw message body says about itself even when it fails its contract (bad JSON aside): its id,
// type and correlation id. For log lines and operator listings only, so a refused or parked message can
// still be found; never for deciding what to do with an event — that is parseEvent's job.

export interface EventIdentity {
  readonly id?: string
  readonly type?: string
  readonly correlationid?: string
}

/** Never throws: a body that is not a JSON object identifies as `{}`. */
export function identifyEvent(body: Uint8Array | string): EventIdentity {
  let value: unknown
  try {
    value = JSON.parse(typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'))
  } catch {
    return {}
  }
  if (typeof value !== 'object' || value === null) return {}
  const { id, type, correlationid } = value as Record<string, unknown>
  return {
    ...(typeof id === 'string' ? { id } : {}),
    ...(typeof type === 'string' ? { type } : {}),
    ...(typeof correlationid === 'string' ? { correlationid } : {}),
  }
}
