// inbound.meta.leadgen.v1 → read the lead from the Graph API, map it, sync it. A Graph error becomes
// park (token, permission, unknown lead: an operator must act) or retry (rate limit, outage); a bad
// token is also logged as an error naming the page, since it stops every lead of that page.
import { park, retry, type Outcome } from '@gassistant/bus'
import type { EventOf } from '@gassistant/contracts'
import { GraphError } from '../graph/errors.js'
import type { GraphLead } from '../graph/types.js'
import { mapMetaLead } from '../mapping/meta-form.js'
import { processDraft } from '../sync/process.js'
import type { HandlerDeps } from './deps.js'

export async function handleMetaLeadgen(event: EventOf<'inbound.meta.leadgen.v1'>, deps: HandlerDeps, signal?: AbortSignal): Promise<Outcome> {
  const { leadgenId, pageId } = event.data
  let lead: GraphLead
  try {
    lead = await deps.graph.getLead(leadgenId, pageId, signal)
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
      deps.log.warn(facts, 'Graph API read failed, will retry')
      return retry(err.message)
    }
    if (err.code === 'GRAPH_TOKEN_INVALID' || err.code === 'GRAPH_NO_TOKEN' || err.code === 'GRAPH_PERMISSION') {
      deps.log.error(facts, `cannot read leads of Facebook page ${pageId}: ${err.message}`)
    } else deps.log.warn(facts, 'Graph API refused the lead read')
    return park(`${err.code}: ${err.message}`)
  }
  return processDraft(mapMetaLead(event.data, lead, deps.config), event, deps)
}
