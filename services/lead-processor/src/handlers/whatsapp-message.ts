// inbound.whatsapp.message.v1 → an unknown number becomes a lead; a number with an open lead gets the
// message on that lead's chatter (upsert.ts decides which, under the person's lock).
import type { Outcome } from '@gassistant/bus'
import type { EventOf } from '@gassistant/contracts'
import { mapWhatsAppMessage } from '../mapping/whatsapp.js'
import { processDraft } from '../sync/process.js'
import type { HandlerDeps } from './deps.js'

export async function handleWhatsAppMessage(event: EventOf<'inbound.whatsapp.message.v1'>, deps: HandlerDeps): Promise<Outcome> {
  return processDraft(mapWhatsAppMessage(event.data), event, deps)
}
