// A Map that forgets its oldest keys beyond a capacity: what keeps every index of the log store bounded
// however long the dashboard runs. Insertion order is the age (a refreshed key keeps its first place), which
// costs nothing per hit; the cost is that a key still in use is forgotten when it is the oldest.

export class CappedMap<K, V> extends Map<K, V> {
  constructor(private readonly capacity: number) {
    super()
  }

  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.capacity) {
      const oldest = this.keys().next()
      if (oldest.done !== true) this.delete(oldest.value)
    }
    return super.set(key, value)
  }
}
