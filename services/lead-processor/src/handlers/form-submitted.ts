// inbound.form.submitted.v1 → the same pipeline as Meta leads, utm from the form's UTM fields.
import type { Outcome } from '@gassistant/bus'
import type { EventOf } from '@gassistant/contracts'
import { mapFormSubmission } from '../mapping/web-form.js'
import { processDraft } from '../sync/process.js'
import type { HandlerDeps } from './deps.js'

export async function handleFormSubmitted(event: EventOf<'inbound.form.submitted.v1'>, deps: HandlerDeps): Promise<Outcome> {
  return processDraft(mapFormSubmission(event.data, deps.config), event, deps)
}
