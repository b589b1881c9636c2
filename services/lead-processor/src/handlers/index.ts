// The dispatch table: one entry per event type the lead-processor consumes. Meta leads need a Graph read
// first (meta-leadgen.ts); WhatsApp messages and web forms map straight to a draft.
import type { Outcome } from '@gassistant/bus'
import type { EventOf } from '@gassistant/contracts'
import { mapFormSubmission } from '../mapping/web-form.js'
import { mapWhatsAppMessage } from '../mapping/whatsapp.js'
import type { HandlerDeps } from './deps.js'
import { handleMetaLeadgen } from './meta-leadgen.js'
import { processDraft } from './process-draft.js'

export const HANDLERS: {
  readonly [T in 'inbound.meta.leadgen.v1' | 'inbound.whatsapp.message.v1' | 'inbound.form.submitted.v1']: (event: EventOf<T>, deps: HandlerDeps, signal: AbortSignal) => Promise<Outcome>
} = {
  'inbound.meta.leadgen.v1': handleMetaLeadgen,
  'inbound.whatsapp.message.v1': (event, deps) => processDraft(mapWhatsAppMessage(event.data), event, deps),
  'inbound.form.submitted.v1': (event, deps) =>
    processDraft(mapFormSubmission(event.data, { ...deps.processing, leadFields: deps.odoo.capabilities.leadFields }), event, deps),
}

export type HandledType = keyof typeof HANDLERS
