/**
 * @gassistant/odoo — typed client for Odoo's external API (XML-RPC on 16–18, JSON-2 on 19+).
 * The public surface only; see README.md for guarantees and failure modes.
 */
export { createOdooClient } from './client.js';
export { m2oId } from './values.js';
export {
  OdooError,
  OdooAccessDeniedError,
  OdooValidationError,
  OdooMissingRecordError,
  OdooConcurrencyError,
  OdooTransportError,
  OdooTimeoutError,
  OdooFaultError,
  errorFromFault,
  errorFromJson2,
  retryAfterMsFrom,
  ODOO_DEPENDENCY,
  type OdooErrorCode,
} from './errors.js';
export type {
  Domain,
  OdooClient,
  OdooClientOptions,
  OdooCall,
  OdooCapabilities,
  OdooFieldInfo,
  OdooLogger,
  OdooRefs,
  CreateActivityInput,
  SearchReadOptions,
  TransportKind,
} from './types.js';
