/**
 * Typed errors of the Odoo client and the one place that maps Odoo faults (XML-RPC faultCode/faultString,
 * JSON-2 error objects) and network failures onto them. Every error has a stable `code` and `retryable`.
 * Never put a Python traceback or a credential in `message`: the traceback lives in `traceback` for logs.
 */

export type OdooErrorCode =
  | 'ODOO_ERROR'
  | 'ODOO_ACCESS_DENIED'
  | 'ODOO_VALIDATION'
  | 'ODOO_MISSING_RECORD'
  | 'ODOO_CONCURRENCY'
  | 'ODOO_TRANSPORT'
  | 'ODOO_TIMEOUT'
  | 'ODOO_FAULT';

export interface OdooErrorDetails {
  /** XML-RPC faultCode (1–4) or JSON-2 HTTP status. */
  faultCode?: number | string;
  /** Python exception class when known (JSON-2 `name`, or the last traceback line). */
  exceptionName?: string;
  /** Full Python traceback, for logs only. */
  traceback?: string;
  model?: string;
  method?: string;
  httpStatus?: number;
  /** From an HTTP `Retry-After` (429/503): when the server asked to be called again. */
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * Set on the errors that mean "Odoo is not answering" (down, overloaded, timing out), as the bus's
 * DependencyError shape: a consumer pauses and probes Odoo instead of spending attempts.
 */
export const ODOO_DEPENDENCY = 'odoo';

export class OdooError extends Error {
  readonly code: OdooErrorCode = 'ODOO_ERROR';
  readonly retryable: boolean = false;
  readonly faultCode: number | string | undefined;
  readonly exceptionName: string | undefined;
  readonly traceback: string | undefined;
  readonly model: string | undefined;
  readonly method: string | undefined;
  readonly httpStatus: number | undefined;

  constructor(message: string, details: OdooErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.faultCode = details.faultCode;
    this.exceptionName = details.exceptionName;
    this.traceback = details.traceback;
    this.model = details.model;
    this.method = details.method;
    this.httpStatus = details.httpStatus;
  }
}

/** Fault 3 (wrong login/key), fault 4 (AccessError: ACL/record rule), authenticate → False, JSON-2 401/403. */
export class OdooAccessDeniedError extends OdooError {
  override readonly code = 'ODOO_ACCESS_DENIED';
  override readonly retryable = false;
}
/** Fault 2: UserError / ValidationError (incl. SQL constraints such as a unique gassistant_ref). */
export class OdooValidationError extends OdooError {
  override readonly code = 'ODOO_VALIDATION';
  override readonly retryable = false;
}
/** Fault 2 from MissingError: "Record does not exist or has been deleted." */
export class OdooMissingRecordError extends OdooError {
  override readonly code = 'ODOO_MISSING_RECORD';
  override readonly retryable = false;
}
/** Serialization failure / deadlock that survived Odoo's own 5 retries. */
export class OdooConcurrencyError extends OdooError {
  override readonly code = 'ODOO_CONCURRENCY';
  override readonly retryable = true;
}
/**
 * Connection refused/reset, 5xx, 429, 502/503/504, unparsable response: Odoo is unavailable (`dependency`
 * 'odoo'). 404 (wrong URL / API removed) is not retryable and names no dependency: an operator must act.
 */
export class OdooTransportError extends OdooError {
  override readonly code = 'ODOO_TRANSPORT';
  override readonly retryable: boolean;
  readonly dependency: typeof ODOO_DEPENDENCY | undefined;
  readonly retryAfterMs: number | undefined;
  constructor(message: string, details: OdooErrorDetails & { retryable?: boolean } = {}) {
    super(message, details);
    this.retryable = details.retryable ?? true;
    this.dependency = this.retryable ? ODOO_DEPENDENCY : undefined;
    this.retryAfterMs = details.retryAfterMs;
  }
}
/**
 * No answer within timeoutMs: Odoo is unavailable or overloaded (`dependency` 'odoo'). The call may still
 * have been executed (e.g. a create): re-check before repeating anything that is not idempotent.
 */
export class OdooTimeoutError extends OdooError {
  override readonly code = 'ODOO_TIMEOUT';
  override readonly retryable = true;
  readonly dependency = ODOO_DEPENDENCY;
  /** As long again as the call was given: a call that timed out may still be running (and commit) in Odoo. */
  readonly retryAfterMs: number | undefined;
  constructor(message: string, details: OdooErrorDetails = {}) {
    super(message, details);
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** `Retry-After` as delay-seconds or an HTTP date (RFC 9110 §10.2.3) → ms from now; undefined when absent or unreadable. */
export function retryAfterMsFrom(header: string | null | undefined, now = Date.now()): number | undefined {
  if (header === null || header === undefined || header.trim() === '') return undefined;
  const seconds = Number(header.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
/** Fault 1: a Python traceback (unknown field, wrong type, programming error). A bug, not transient. */
export class OdooFaultError extends OdooError {
  override readonly code = 'ODOO_FAULT';
  override readonly retryable = false;
}

const CONCURRENCY_PATTERNS = [
  /SerializationFailure/,
  /could not serialize access/,
  /TransactionRollbackError/,
  /deadlock detected/,
  /LockNotAvailable/,
];
const isConcurrency = (...texts: string[]): boolean => texts.some((t) => CONCURRENCY_PATTERNS.some((p) => p.test(t)));
const MISSING_PATTERNS = [/Record does not exist or has been deleted/, /MissingError/];

/** The last non-empty line of a traceback: "ValueError: Invalid field 'x' on model 'crm.lead'". */
function lastTracebackLine(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  return lines[lines.length - 1] ?? text;
}

function exceptionNameOf(line: string): string | undefined {
  const m = /^([A-Za-z_][\w.]*(?:Error|Exception|Failure|Denied|Warning|[A-Z]\w*))\s*:/.exec(line);
  return m?.[1];
}

/** Maps an XML-RPC fault (as the real 17/18 server sends them; see odoo-17-verified.md) to a typed error. */
export function errorFromFault(
  faultCode: unknown,
  faultString: unknown,
  ctx: { model?: string; method?: string } = {},
): OdooError {
  const text = typeof faultString === 'string' ? faultString : String(faultString ?? '');
  const code = typeof faultCode === 'number' ? faultCode : Number.parseInt(String(faultCode), 10);
  const isTraceback = text.startsWith('Traceback (most recent call last)');
  const base: OdooErrorDetails = { faultCode: Number.isNaN(code) ? String(faultCode) : code, ...ctx };
  if (isTraceback) {
    const last = lastTracebackLine(text);
    const exceptionName = exceptionNameOf(last);
    const details: OdooErrorDetails = { ...base, traceback: text, ...(exceptionName ? { exceptionName } : {}) };
    if (isConcurrency(last)) return new OdooConcurrencyError(last, details);
    return new OdooFaultError(last, details);
  }
  switch (code) {
    case 3:
      return new OdooAccessDeniedError(text || 'Access Denied', { ...base, exceptionName: 'odoo.exceptions.AccessDenied' });
    case 4:
      return new OdooAccessDeniedError(text, { ...base, exceptionName: 'odoo.exceptions.AccessError' });
    case 2:
      if (MISSING_PATTERNS.some((p) => p.test(text))) {
        return new OdooMissingRecordError(text, { ...base, exceptionName: 'odoo.exceptions.MissingError' });
      }
      if (isConcurrency(text)) return new OdooConcurrencyError(text, base);
      return new OdooValidationError(text, { ...base, exceptionName: 'odoo.exceptions.UserError' });
    default:
      if (isConcurrency(text)) return new OdooConcurrencyError(text, base);
      return new OdooFaultError(lastTracebackLine(text), { ...base, traceback: text });
  }
}

/** Maps a JSON-2 error answer (HTTP 4xx/5xx, body `{name, message, arguments, context, debug}`). */
export function errorFromJson2(
  status: number,
  body: unknown,
  ctx: { model?: string; method?: string; retryAfterMs?: number } = {},
): OdooError {
  const obj = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const name = typeof obj['name'] === 'string' ? obj['name'] : undefined;
  const message = typeof obj['message'] === 'string' ? obj['message'] : typeof body === 'string' ? body : `HTTP ${status}`;
  const debug = typeof obj['debug'] === 'string' ? obj['debug'] : undefined;
  const details: OdooErrorDetails = {
    faultCode: status,
    httpStatus: status,
    ...ctx,
    ...(name ? { exceptionName: name } : {}),
    ...(debug ? { traceback: debug } : {}),
  };
  if (!name) {
    if (status === 401 || status === 403) return new OdooAccessDeniedError(message, details);
    if (status === 404) return new OdooTransportError(`Odoo answered 404 (wrong URL or API removed)`, { ...details, retryable: false });
    if (status >= 500 || status === 429 || status === 408) return new OdooTransportError(`Odoo answered HTTP ${status}`, details);
    return new OdooFaultError(message, details);
  }
  if (/AccessDenied|AccessError|Unauthorized|Forbidden/.test(name)) return new OdooAccessDeniedError(message, details);
  if (/MissingError/.test(name)) return new OdooMissingRecordError(message, details);
  if (isConcurrency(name, message)) return new OdooConcurrencyError(message, details);
  if (/UserError|ValidationError|RedirectWarning|UnprocessableEntity/.test(name)) return new OdooValidationError(message, details);
  if (/ServiceUnavailable|BadGateway|GatewayTimeout/.test(name)) return new OdooTransportError(message, details);
  return new OdooFaultError(message, details);
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  'ECONNABORTED', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT',
]);

/** Maps a network-level failure (no Odoo answer) to a transport or timeout error. */
export function errorFromNetwork(err: unknown, ctx: { model?: string; method?: string; timeoutMs?: number } = {}): OdooError {
  if (err instanceof OdooError) return err;
  const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string } } | undefined;
  const details: OdooErrorDetails = { cause: err, ...(ctx.model ? { model: ctx.model } : {}), ...(ctx.method ? { method: ctx.method } : {}) };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
    return new OdooTimeoutError(`Odoo did not answer within ${ctx.timeoutMs ?? '?'} ms`, { ...details, ...(ctx.timeoutMs === undefined ? {} : { retryAfterMs: ctx.timeoutMs }) });
  }
  const code = e?.code ?? e?.cause?.code;
  const what = code && NETWORK_CODES.has(code) ? code : (e?.message ?? 'unknown network error');
  return new OdooTransportError(`Odoo unreachable: ${what}`, details);
}
