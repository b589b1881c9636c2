// Gathers crm.lead creates issued within a few milliseconds into one batched `create` call (Odoo 16+
// multi-create; ~5x faster than one call per lead on 17, odoo-17-verified.md). A failed batch is retried
// lead by lead, so one bad lead (a validation fault, a unique-ref clash) never fails its neighbours.
// Never delays a lone create by more than `lingerMs`.
import type { OdooClient } from '@gassistant/odoo'

export interface CreateBatcher {
  create(values: Record<string, unknown>): Promise<number>
}

interface Pending {
  values: Record<string, unknown>
  resolve: (id: number) => void
  reject: (err: unknown) => void
}

export function createBatcher(odoo: OdooClient, model: string, options: { maxBatch?: number; lingerMs?: number } = {}): CreateBatcher {
  const maxBatch = options.maxBatch ?? 50
  const lingerMs = options.lingerMs ?? 5
  let queue: Pending[] = []
  let timer: NodeJS.Timeout | undefined

  async function flush(): Promise<void> {
    clearTimeout(timer)
    timer = undefined
    const batch = queue
    queue = []
    if (batch.length === 0) return
    if (batch.length === 1) {
      const [one] = batch as [Pending]
      await odoo.create(model, one.values).then(one.resolve, one.reject)
      return
    }
    try {
      const ids = await odoo.createMany(model, batch.map((p) => p.values))
      batch.forEach((p, i) => p.resolve(ids[i] as number))
    } catch {
      // The whole batch was rolled back: create one by one so each gets its own answer.
      await Promise.all(batch.map((p) => odoo.create(model, p.values).then(p.resolve, p.reject)))
    }
  }

  return {
    create(values) {
      return new Promise<number>((resolve, reject) => {
        queue.push({ values, resolve, reject })
        if (queue.length >= maxBatch) void flush()
        else timer ??= setTimeout(() => void flush(), lingerMs)
      })
    },
  }
}
