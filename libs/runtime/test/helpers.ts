// Test helpers: a pino destination that keeps every NDJSON line for assertions.
import { Writable } from 'node:stream'

export interface Captured {
  stream: Writable
  lines: () => Record<string, unknown>[]
  text: () => string
}

export function captureLog(): Captured {
  const chunks: string[] = []
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'))
      callback()
    },
  })
  const text = () => chunks.join('')
  const lines = () =>
    text()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>)
  return { stream, lines, text }
}
