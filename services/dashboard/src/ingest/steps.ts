// Names a log line as a step of a lead's journey, from the generic fields only (service, type, outcome,
// msg and the ids a line carries), so the steps of services the dashboard was not written for still read well.
import type { LogEntry } from './entry.js'

export type StepKind =
  | 'received' | 'graph_read' | 'odoo_created' | 'odoo_updated' | 'odoo_merged' | 'rejected' | 'scored'
  | 'rules_fired' | 'notification_requested' | 'slack_delivered' | 'notification_failed' | 'clicked'
  | 'parked' | 'retried' | 'handled' | 'other'

export function stepOf(entry: LogEntry): StepKind {
  if (entry.eventIds !== undefined) return 'received'
  if (entry.leadOutcome === 'created' || entry.leadOutcome === 'updated' || entry.leadOutcome === 'merged') return `odoo_${entry.leadOutcome}` as StepKind
  if (entry.outcome === 'park') return 'parked'
  if (entry.outcome === 'retry' || entry.outcome === 'unavailable') return 'retried'
  if (entry.leadgenId !== undefined && entry.msg.startsWith('Graph')) return 'graph_read'
  if (entry.msg === 'lead rejected') return 'rejected'
  if (entry.score !== undefined) return 'scored'
  if (entry.type === 'inbound.slack.action.v1') return 'clicked'
  if (entry.type === 'notification.delivered.v1' || (entry.service === 'notifier' && entry.type === 'notification.requested.v1' && entry.outcome === 'done')) return 'slack_delivered'
  if (entry.type === 'notification.failed.v1') return 'notification_failed'
  if (entry.service === 'workflow-rules' && /rule/i.test(entry.msg)) return 'rules_fired'
  if (entry.type === 'notification.requested.v1') return 'notification_requested'
  if (entry.outcome === 'done') return 'handled'
  return 'other'
}
