// Turns the validated environment into the handlers' ProcessingConfig: reads the mapping and
// do-not-call files. The service's only file reads, done once at start-up by wiring.ts; fails start-up
// with the variable's name when a file is missing or malformed.
import { readFile } from 'node:fs/promises'
import { ConfigError } from '@gassistant/runtime'
import type { RetryPolicy } from '@gassistant/bus'
import type { LeadProcessorConfig } from './config.js'
import { parseDoNotCallList } from './flags.js'
import type { ProcessingConfig } from './handlers/deps.js'
import type { FormMapping } from './mapping/common.js'

type SettingsInput = Pick<LeadProcessorConfig, 'DEFAULT_PHONE_REGION' | 'TEST_LEADS' | 'LEAD_TYPE' | 'REPEAT_WINDOW_DAYS' | 'LOCK_TIMEOUT_MS'> &
  Partial<Pick<LeadProcessorConfig, 'FORM_MAPPING_FILE' | 'DO_NOT_CALL_FILE' | 'LEAD_USER_ID' | 'PREFETCH' | 'RETRY_DELAYS_MS' | 'RETRY_BUDGET_HOURS'>>

function isMapping(value: unknown): value is FormMapping {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  return Object.values(value).every((form) => typeof form === 'object' && form !== null && Object.values(form).every((f) => typeof f === 'string'))
}

export async function processingConfigFrom(env: SettingsInput): Promise<ProcessingConfig & { prefetch?: number; retry?: Partial<RetryPolicy> }> {
  let formMapping: FormMapping = {}
  if (env.FORM_MAPPING_FILE) {
    let parsed: unknown
    try {
      parsed = JSON.parse(await readFile(env.FORM_MAPPING_FILE, 'utf8'))
    } catch {
      throw new ConfigError('FORM_MAPPING_FILE', 'cannot be read as JSON')
    }
    if (!isMapping(parsed)) throw new ConfigError('FORM_MAPPING_FILE', 'must map form id → question → field name')
    formMapping = parsed
  }
  let doNotCall = new Set<string>()
  if (env.DO_NOT_CALL_FILE) {
    try {
      doNotCall = parseDoNotCallList(await readFile(env.DO_NOT_CALL_FILE, 'utf8'), env.DEFAULT_PHONE_REGION)
    } catch {
      throw new ConfigError('DO_NOT_CALL_FILE', 'cannot be read')
    }
  }
  return {
    defaultRegion: env.DEFAULT_PHONE_REGION.toUpperCase(),
    formMapping,
    doNotCall,
    testLeads: env.TEST_LEADS,
    leadType: env.LEAD_TYPE,
    userId: env.LEAD_USER_ID,
    repeatWindowMs: env.REPEAT_WINDOW_DAYS * 86_400_000,
    lockTimeoutMs: env.LOCK_TIMEOUT_MS,
    ...(env.PREFETCH === undefined ? {} : { prefetch: env.PREFETCH }),
    ...(env.RETRY_DELAYS_MS === undefined && env.RETRY_BUDGET_HOURS === undefined ? {} : {
      retry: {
        ...(env.RETRY_DELAYS_MS === undefined ? {} : { delaysMs: env.RETRY_DELAYS_MS.split(',').map(Number) }),
        ...(env.RETRY_BUDGET_HOURS === undefined ? {} : { budgetMs: Math.round(env.RETRY_BUDGET_HOURS * 3_600_000) }),
      },
    }),
  }
}
