// A map that forgets its oldest keys beyond a capacity: what keeps every index of the log store bounded
// however long the dashboard runs. Age is insertion order (a key set again keeps its age). The order is a
// ring of keys rather than the Map's own iteration order: evicting through `map.keys().next()` walks every
// deleted slot at the front of V8's table, which made ingest slow down as the map churned.

export class CappedMap<K, V> {
  private readonly entries = new Map<K, V>()
  private readonly ring: (K | undefined)[]
  private inserted = 0

  constructor(private readonly capacity: number) {
    this.ring = new Array<K | undefined>(capacity)
  }

  get size(): number {
    return this.entries.size
  }

  get(key: K): V | undefined {
    return this.entries.get(key)
  }

  has(key: K): boolean {
    return this.entries.has(key)
  }

  set(key: K, value: V): void {
    if (this.entries.has(key)) {
      this.entries.set(key, value)
      return
    }
    const slot = this.inserted % this.capacity
    // The key inserted `capacity` insertions ago goes. A key deleted and set again since sits in the ring
    // twice and goes at its first slot: forgotten early, never kept beyond the capacity.
    if (this.inserted >= this.capacity) this.entries.delete(this.ring[slot] as K)
    this.ring[slot] = key
    this.entries.set(key, value)
    this.inserted++
  }

  delete(key: K): void {
    this.entries.delete(key)
  }

  values(): IterableIterator<V> {
    return this.entries.values()
  }
}
