// Where log lines come from: files the services' logs are written to (followed as they grow, like
// `tail -F`: a truncated or replaced file is read again from its start) and a stream such as stdin
// (`docker compose logs --no-log-prefix -f | …`). Reads in chunks and hands complete lines to the store;
// a line longer than MAX_LINE is dropped rather than buffered without bound.
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { Readable } from 'node:stream'
import { StringDecoder } from 'node:string_decoder'

export type LineSink = (line: string) => void

/** pino lines are a few hundred bytes; anything this long is not one of ours. */
const MAX_LINE = 64 * 1024

/** Splits chunks into lines, keeping the unfinished tail for the next chunk. */
export function lineSplitter(sink: LineSink): { push(chunk: Buffer | string): void; end(): void } {
  const decoder = new StringDecoder('utf8')
  let tail = ''
  return {
    push(chunk) {
      const text = tail + (typeof chunk === 'string' ? chunk : decoder.write(chunk))
      let start = 0
      for (let newline = text.indexOf('\n', start); newline >= 0; newline = text.indexOf('\n', start)) {
        sink(text.slice(start, newline))
        start = newline + 1
      }
      tail = text.length - start > MAX_LINE ? '' : text.slice(start)
    },
    end() {
      const rest = tail + decoder.end()
      tail = ''
      if (rest !== '') sink(rest)
    },
  }
}

/** Reads a stream to its end (stdin: until the pipe closes). */
export async function readStream(stream: Readable, sink: LineSink): Promise<void> {
  const lines = lineSplitter(sink)
  for await (const chunk of stream) lines.push(chunk as Buffer)
  lines.end()
}

export interface Follower {
  /** Resolves once everything written so far was read. */
  readonly caughtUp: Promise<void>
  stop(): void
}

/** Follows one file from its start, reading what was appended every `pollMs`. A missing file is waited for. */
export function followFile(path: string, sink: LineSink, { pollMs = 1_000 } = {}): Follower {
  let offset = 0
  let inode: number | undefined
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  const lines = lineSplitter(sink)

  async function readNew(): Promise<void> {
    const info = await stat(path).catch(() => undefined)
    if (info === undefined) return
    if (info.ino !== inode || info.size < offset) {
      // Rotated or truncated: the file now holds new lines from its start.
      inode = info.ino
      offset = 0
    }
    if (info.size === offset) return
    const stream = createReadStream(path, { start: offset, end: info.size - 1, highWaterMark: 1024 * 1024 })
    for await (const chunk of stream) {
      lines.push(chunk as Buffer)
      offset += (chunk as Buffer).length
    }
  }

  const poll = async (): Promise<void> => {
    await readNew().catch(() => undefined)
    if (!stopped) timer = setTimeout(() => void poll(), pollMs)
  }
  const caughtUp = readNew().catch(() => undefined).then(() => {
    if (!stopped) timer = setTimeout(() => void poll(), pollMs)
  })
  return {
    caughtUp,
    stop() {
      stopped = true
      clearTimeout(timer)
    },
  }
}
