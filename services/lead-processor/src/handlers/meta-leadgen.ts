// inbound.meta.leadgen.v1 → the lead Odoo already has (a redelivery: nothing read, nothing written), or
// read it from the Graph API, map it, sync it. Graph reads are spent only on leads Odoo does not have
// (Meta's quota is per page): the reference is looked up in Odoo first, so a redelivered webhook or a retry
// after an Odoo outage reads nothing from Meta. A Graph error becomes park (token, permission, unknown lead:
// an operator must act) or is thrown as an outage of 'graph' (rate limit, 5xx, timeout); a bad token is
// also logged as an error naming the page, since it stops every lead of that page, and an expired one is
// told to the ops channel (once per page and token, not per lead).
import { park, type Outcome } from '@gassistant/bus'
import type { EventOf } from '@gassistant/contracts'
import { GraphError } from '../graph/errors.js'
import type { GraphLead } from '../graph/types.js'
import { mapMetaLead } from '../mapping/meta-form.js'
import { refMarker } from '../sync/html.js'
import type { HandlerDeps } from './deps.js'
import { processDraft, replaySynced } from './process-draft.js'

export async function handleMetaLeadgen(event: EventOf<'inbound.meta.leadgen.v1'>, deps: HandlerDeps, signal?: AbortSignal): Promise<Outcome> {
  const { leadgenId, pageId } = event.data
  const externalRef = `meta:${leadgenId}`
  const known = await deps.store.byRef(externalRef)
  if (known !== undefined && (await deps.store.hasNote(known.id, refMarker({ externalRef })))) {
    return replaySynced(known, event, 'meta', externalRef, deps)
  }
  let lead: GraphLead
  const reading = performance.now()
  try {
    lead = await deps.graph.getLead(leadgenId, pageId, signal)
    // One line per successful read: the step of the lead's journey on the dashboard, and Meta's quota spent.
    deps.log.info({
      event_id: event.id,
      type: event.type,
      correlation_id: event.correlationid ?? event.id,
      page_id: pageId,
      leadgen_id: leadgenId,
      duration_ms: Math.round((performance.now() - reading) * 10) / 10,
    }, 'Graph lead read')
  } catch (err) {
    if (!(err instanceof GraphError)) throw err
    const facts = {
      event_id: event.id,
      type: event.type,
      correlation_id: event.correlationid ?? event.id,
      page_id: pageId,
      leadgen_id: leadgenId,
      code: err.code,
      graph_code: err.graphCode,
      fbtrace_id: err.fbtraceId,
    }
    if (err.retryable) {
      deps.log.warn({ ...facts, retry_after_ms: err.retryAfterMs }, 'Graph API read failed, will retry')
      throw err
    }
    if (err.code === 'GRAPH_TOKEN_INVALID' || err.code === 'GRAPH_NO_TOKEN' || err.code === 'GRAPH_PERMISSION') {
      deps.log.error(facts, `cannot read leads of Facebook page ${pageId}: ${err.message}`)
      if (err.code === 'GRAPH_TOKEN_INVALID') await deps.tokenAlert?.raise(pageId, err)
    } else deps.log.warn(facts, 'Graph API refused the lead read')
    return park(`${err.code}: ${err.message}`)
  }
  return processDraft(mapMetaLead(event.data, lead, { ...deps.processing, leadFields: deps.odoo.capabilities.leadFields }), event, deps)
}
