// Where each form's reconciliation checkpoint lives: an Odoo system parameter (ir.config_parameter,
// key `gassistant.meta_reconcile.<page>.<form>`, value an ISO time) — "every lead of this form created before
// this time has been checked". Odoo, the system of record every replica already shares, so the checkpoint
// survives restarts and is the same for every replica without new infrastructure. System parameters need the
// hub user to have Settings rights; without them the checkpoints are kept in this process only (a warning
// says so once) and a restart falls back to the trailing window.
import { OdooAccessDeniedError, type OdooClient } from '@gassistant/odoo'
import type { Logger } from '@gassistant/runtime'

export interface Checkpoints {
  get(pageId: string, formId: string): Promise<Date | undefined>
  set(pageId: string, formId: string, at: Date): Promise<void>
}

const MODEL = 'ir.config_parameter'
export const checkpointKey = (pageId: string, formId: string): string => `gassistant.meta_reconcile.${pageId}.${formId}`

export function createOdooCheckpoints(odoo: OdooClient, log: Logger): Checkpoints {
  const memory = new Map<string, Date>()
  let inMemory = false

  function fallBack(err: unknown): void {
    if (!(err instanceof OdooAccessDeniedError)) throw err
    if (!inMemory) log.warn({ model: MODEL }, 'the Odoo user may not read system parameters: reconciliation checkpoints are kept in this process only (give the hub user Settings rights to keep them in Odoo)')
    inMemory = true
  }

  async function row(key: string): Promise<{ id: number; value: string } | undefined> {
    const [found] = await odoo.searchRead<{ id: number; value: string }>(MODEL, [['key', '=', key]], { fields: ['value'], limit: 1 })
    return found
  }

  return {
    async get(pageId, formId) {
      const key = checkpointKey(pageId, formId)
      if (!inMemory) {
        try {
          const found = await row(key)
          const at = found === undefined ? Number.NaN : Date.parse(found.value)
          return Number.isFinite(at) ? new Date(at) : undefined
        } catch (err) {
          fallBack(err)
        }
      }
      return memory.get(key)
    },
    async set(pageId, formId, at) {
      const key = checkpointKey(pageId, formId)
      memory.set(key, at)
      if (inMemory) return
      try {
        const found = await row(key)
        if (found !== undefined) await odoo.write(MODEL, [found.id], { value: at.toISOString() })
        else await odoo.create(MODEL, { key, value: at.toISOString() })
      } catch (err) {
        fallBack(err)
      }
    },
  }
}
