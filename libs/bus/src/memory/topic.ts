// AMQP topic-exchange matching for the in-process transport: `*` is exactly one dot-separated word,
// `#` is zero or more. Must never diverge from RabbitMQ's rules: the same bindings route the same way.

function matchWords(pattern: readonly string[], key: readonly string[], p: number, k: number): boolean {
  if (p === pattern.length) return k === key.length
  const word = pattern[p]
  if (word === '#') {
    // `#` may swallow any number of words, including none.
    for (let skip = k; skip <= key.length; skip++) if (matchWords(pattern, key, p + 1, skip)) return true
    return false
  }
  if (k === key.length) return false
  return (word === '*' || word === key[k]) && matchWords(pattern, key, p + 1, k + 1)
}

export function topicMatches(pattern: string, routingKey: string): boolean {
  return matchWords(pattern.split('.'), routingKey.split('.'), 0, 0)
}
