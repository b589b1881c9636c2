// One queue per Slack channel: Slack allows about one message per second per channel (reference slack.md,
// "Rate limits"), so calls to one channel run one at a time and the next starts `intervalMs` after the previous
// one was answered — measured from the answer, so Slack never sees two posts closer than that. A 429 makes that
// channel wait Retry-After and try the same call again: a rate-limited call was not carried out, so this spends
// no retry attempt and cannot post twice. Other channels are not held up. In memory, per process.
import { SlackRateLimited } from './slack.js'

export interface ChannelQueueOptions {
  readonly intervalMs: number
  /** Told about every 429 wait (metrics, logs). */
  readonly onRateLimited?: (channel: string, waitMs: number) => void
  readonly sleep?: (ms: number) => Promise<void>
}

export interface ChannelQueue {
  /** Runs `call` in `channel`'s turn, repeating it after each 429 once Retry-After has passed. */
  run<T>(channel: string, call: () => Promise<T>): Promise<T>
}

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

export function createChannelQueue({ intervalMs, onRateLimited, sleep = defaultSleep }: ChannelQueueOptions): ChannelQueue {
  /** Per channel: the end of its last turn (its answer plus the interval), as a promise the next turn awaits. */
  const tails = new Map<string, Promise<void>>()

  async function withRetryAfter<T>(channel: string, call: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await call()
      } catch (error) {
        if (!(error instanceof SlackRateLimited)) throw error
        onRateLimited?.(channel, error.retryAfterMs)
        await sleep(error.retryAfterMs)
      }
    }
  }

  return {
    run(channel, call) {
      const previous = tails.get(channel) ?? Promise.resolve()
      const result = previous.then(() => withRetryAfter(channel, call))
      const tail = result.then(() => sleep(intervalMs), () => sleep(intervalMs))
      tails.set(channel, tail)
      // Forget an idle channel once its last turn is over (the map holds only busy channels).
      void tail.then(() => {
        if (tails.get(channel) === tail) tails.delete(channel)
      })
      return result
    },
  }
}
