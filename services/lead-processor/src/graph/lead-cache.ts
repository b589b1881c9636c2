// Remembers Graph lead reads for a few minutes, so a lead whose Odoo write failed (an outage, a lock
// timeout) is not read from Meta again when it is retried, and two deliveries of one webhook handled at
// the same moment share one read: Meta's read quota is per page, and a lead never changes once submitted.
// Bounded in count and age; held in memory only, never logged. A failed read is not kept.
import type { GraphClient } from './client.js'
import type { GraphLead } from './types.js'

export interface LeadCacheOptions {
  /** Default 1000 leads. */
  readonly maxEntries?: number
  /** Default 15 minutes. */
  readonly ttlMs?: number
  readonly now?: () => number
}

export function withLeadCache(graph: GraphClient, options: LeadCacheOptions = {}): GraphClient {
  const maxEntries = options.maxEntries ?? 1000
  const ttlMs = options.ttlMs ?? 15 * 60_000
  const now = options.now ?? Date.now
  const leads = new Map<string, { lead: Promise<GraphLead>; at: number }>()
  return {
    ...graph,
    getLead(leadgenId, pageId, signal) {
      const key = `${pageId}:${leadgenId}`
      const hit = leads.get(key)
      if (hit !== undefined && now() - hit.at < ttlMs) return hit.lead
      const lead = graph.getLead(leadgenId, pageId, signal)
      leads.delete(key)
      leads.set(key, { lead, at: now() })
      lead.catch(() => {
        if (leads.get(key)?.lead === lead) leads.delete(key)
      })
      // A Map iterates in insertion order: the first key is the oldest read.
      if (leads.size > maxEntries) leads.delete(leads.keys().next().value as string)
      return lead
    },
  }
}
