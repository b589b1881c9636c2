/**
 * Fault mapping of the client: every Odoo fault kind (from the XML fixtures of a real 17.0 and the
 * stand-in's injected faults), network failures, timeouts, JSON-2 errors, and the one re-authentication.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import t, { type Test } from 'tap';
import { startOdooStandIn } from '@gassistant/sandbox';
import { fixtureText as fixture } from '@gassistant/test-support';
import type { OdooError} from '../src/index.js';
import {
  createOdooClient, errorFromJson2, OdooAccessDeniedError, OdooConcurrencyError, OdooFaultError,
  OdooMissingRecordError, OdooTimeoutError, OdooTransportError, OdooValidationError,
} from '../src/index.js';

const fault = (code: number, text: string): string =>
  `<?xml version="1.0"?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n<value><int>${code}</int></value>\n</member>\n<member>\n<name>faultString</name>\n<value><string>${text}</string></value>\n</member>\n</struct></value>\n</fault>\n\n</methodResponse>\n`;
const ok = (inner: string): string => `<?xml version="1.0"?>\n<methodResponse>\n<params>\n<param>\n<value>${inner}</value>\n</param>\n</params>\n</methodResponse>\n`;

/** A fake Odoo answering version/authenticate/fields_get/default_get normally and every other execute_kw with `answer`. */
async function fakeOdoo(t: Test, answer: { status?: number; body: string; contentType?: string }): Promise<string> {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let reply = answer.body;
      let status = answer.status ?? 200;
      let type = answer.contentType ?? 'text/xml; charset=utf-8';
      if (body.includes('<methodName>version</methodName>')) { reply = ok('<struct><member><name>server_version</name><value><string>17.0</string></value></member></struct>'); status = 200; type = 'text/xml'; }
      else if (body.includes('<methodName>authenticate</methodName>')) { reply = ok('<int>2</int>'); status = 200; type = 'text/xml'; }
      else if (body.includes('<string>fields_get</string>')) { reply = ok('<struct><member><name>name</name><value><struct></struct></value></member></struct>'); status = 200; type = 'text/xml'; }
      else if (body.includes('<string>default_get</string>')) { reply = ok('<struct><member><name>type</name><value><string>opportunity</string></value></member></struct>'); status = 200; type = 'text/xml'; }
      res.writeHead(status, { 'Content-Type': type });
      res.end(reply);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function failureOf(url: string, call: 'create' | 'write' = 'create', timeoutMs?: number): Promise<OdooError> {
  const odoo = createOdooClient({ url, db: 'db', username: 'admin', password: 'secret-pw', ...(timeoutMs ? { timeoutMs } : {}) });
  try {
    if (call === 'write') await odoo.write('crm.lead', [1], { name: 'x' });
    else await odoo.create('crm.lead', { name: 'x' });
  } catch (err) {
    return err as OdooError;
  } finally {
    odoo.close();
  }
  throw new Error('the call did not fail');
}

t.test('fault 1 with a traceback (real 17.0 fixture) → OdooFaultError, traceback kept but not in the message', async (t) => {
  const err = await failureOf(await fakeOdoo(t, { body: fixture('odoo-xmlrpc-fault-unknown-field.xml') }));
  t.type(err, OdooFaultError);
  t.equal(err.code, 'ODOO_FAULT');
  t.equal(err.retryable, false);
  t.equal(err.message, "ValueError: Invalid field 'x_meta_leadgen_id' on model 'crm.lead'");
  t.equal(err.faultCode, 1);
  t.equal(err.exceptionName, 'ValueError');
  t.match(err.traceback, /^Traceback \(most recent call last\):\n {2}File "\/usr\/lib\/python3\/dist-packages\/odoo/);
  t.equal(err.model, 'crm.lead');
  t.equal(err.method, 'create');
});

t.test('fault 2 ValidationError (fixture) → OdooValidationError with the message only', async (t) => {
  const err = await failureOf(await fakeOdoo(t, { body: fixture('odoo-xmlrpc-fault-validation.xml') }));
  t.type(err, OdooValidationError);
  t.equal(err.code, 'ODOO_VALIDATION');
  t.equal(err.retryable, false);
  t.equal(err.message, 'The operation cannot be completed: The probability of closing the deal should be between 0% and 100%!');
  t.equal(err.traceback, undefined);
});

t.test('fault 3 Access Denied (fixture) on execute_kw → re-authenticates once, then OdooAccessDeniedError', async (t) => {
  const err = await failureOf(await fakeOdoo(t, { body: fixture('odoo-xmlrpc-fault-access-denied.xml') }));
  t.type(err, OdooAccessDeniedError);
  t.equal(err.code, 'ODOO_ACCESS_DENIED');
  t.equal(err.retryable, false);
  t.equal(err.message, 'Access Denied');
  t.notMatch(err.message, /secret-pw/, 'never the password');
});

t.test('fault 4 AccessError → OdooAccessDeniedError', async (t) => {
  const err = await failureOf(await fakeOdoo(t, { body: fault(4, 'You are not allowed to modify &apos;Lead/Opportunity&apos; (crm.lead) records.') }));
  t.type(err, OdooAccessDeniedError);
  t.equal(err.faultCode, 4);
});

t.test('fault 2 MissingError → OdooMissingRecordError', async (t) => {
  const err = await failureOf(await fakeOdoo(t, { body: fault(2, 'Record does not exist or has been deleted.\n(Record: crm.lead(99999999,), User: 2)') }), 'write');
  t.type(err, OdooMissingRecordError);
  t.equal(err.code, 'ODOO_MISSING_RECORD');
  t.equal(err.retryable, false);
});

t.test('fault 1 serialization failure → OdooConcurrencyError, retryable', async (t) => {
  const tb = 'Traceback (most recent call last):\n  File "/usr/lib/python3/dist-packages/odoo/sql_db.py", line 332, in execute\n    res = self._obj.execute(query, params)\npsycopg2.errors.SerializationFailure: could not serialize access due to concurrent update\n';
  const err = await failureOf(await fakeOdoo(t, { body: fault(1, tb) }));
  t.type(err, OdooConcurrencyError);
  t.equal(err.code, 'ODOO_CONCURRENCY');
  t.equal(err.retryable, true);
  t.equal(err.message, 'psycopg2.errors.SerializationFailure: could not serialize access due to concurrent update');
});

for (const status of [502, 503, 504]) {
  t.test(`HTTP ${status} from a proxy → OdooTransportError, retryable`, async (t) => {
    const err = await failureOf(await fakeOdoo(t, { status, body: `<html><body><h1>${status}</h1></body></html>`, contentType: 'text/html' }));
    t.type(err, OdooTransportError);
    t.equal(err.code, 'ODOO_TRANSPORT');
    t.equal(err.retryable, true);
    t.equal(err.httpStatus, status);
    t.equal((err as OdooTransportError).dependency, 'odoo', 'names Odoo as the unavailable dependency');
  });
}

t.test('HTTP 429 or 503 with Retry-After → unavailable Odoo, with the delay it asked for', async (t) => {
  for (const [status, header, expected] of [[429, '7', 7000], [503, new Date(Date.now() + 60_000).toUTCString(), 60_000]] as const) {
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        if (body.includes('<methodName>version</methodName>')) { res.writeHead(200); res.end(ok('<struct><member><name>server_version</name><value><string>17.0</string></value></member></struct>')); return; }
        res.writeHead(status, { 'Retry-After': header, 'Content-Type': 'text/html' });
        res.end('<html>busy</html>');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const err = (await failureOf(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)) as OdooTransportError;
    await new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); });
    t.type(err, OdooTransportError);
    t.equal(err.dependency, 'odoo');
    t.ok(err.retryAfterMs !== undefined && Math.abs(err.retryAfterMs - expected) <= 1000, `HTTP ${status}: retry after about ${expected} ms (${err.retryAfterMs})`);
  }
});

t.test('HTTP 404 (wrong URL, or XML-RPC removed) → OdooTransportError, not retryable', async (t) => {
  const server = http.createServer((_req, res) => { res.writeHead(404); res.end('not here'); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  t.teardown(() => new Promise<void>((r) => server.close(() => r())));
  const c = createOdooClient({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, db: 'db', username: 'u', password: 'p', transport: 'xmlrpc' });
  const err = (await c.connect().catch((e: unknown) => e)) as OdooError;
  c.close();
  t.type(err, OdooTransportError);
  t.equal(err.retryable, false);
  t.equal((err as OdooTransportError).dependency, undefined, 'not an outage: an operator must fix the URL');
});

t.test('connection refused → OdooTransportError, retryable', async (t) => {
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  const err = await failureOf(`http://127.0.0.1:${port}`);
  t.type(err, OdooTransportError);
  t.equal(err.retryable, true);
  t.match(err.message, /ECONNREFUSED/);
});

t.test('stand-in faults reach the client as the right typed errors', async (t) => {
  const s = await startOdooStandIn();
  t.teardown(() => s.close());
  const odoo = createOdooClient({ url: s.url, db: s.db, username: s.username, password: s.password, timeoutMs: 300 });
  t.teardown(() => odoo.close());
  await odoo.connect();
  const attempt = (): Promise<unknown> => odoo.create('crm.lead', { name: 'x' }).catch((e: unknown) => e);

  s.faults.failNext(1, 'transport');
  t.type(await attempt(), OdooTransportError, 'transport');
  s.faults.failNext(1, 'validation');
  const invalid = await attempt();
  t.type(invalid, OdooValidationError, 'validation');
  t.notOk('dependency' in (invalid as object), 'a fault names no unavailable dependency');
  s.faults.failNext(1, 'concurrency');
  t.type(await attempt(), OdooConcurrencyError, 'concurrency');
  s.faults.failNext(1, 'missing');
  t.type(await attempt(), OdooMissingRecordError, 'missing');
  s.faults.failNext(1, 'fault');
  t.type(await attempt(), OdooFaultError, 'fault');

  s.faults.failNext(1, 'access');
  const before = s.calls.count('crm.lead', 'create');
  const id = await attempt();
  t.ok(typeof id === 'number', 'one refused session: re-authenticated and the call went through');
  t.equal(s.calls.count('crm.lead', 'create') - before, 2, 'the call was sent twice');
  s.faults.failNext(2, 'access');
  t.type(await attempt(), OdooAccessDeniedError, 'refused twice: access denied');

  s.faults.slow(1000);
  const slow = await attempt();
  t.type(slow, OdooTimeoutError, 'slower than timeoutMs');
  t.equal((slow as OdooError).retryable, true);
  t.equal((slow as OdooTimeoutError).dependency, 'odoo');
  t.equal((slow as OdooTimeoutError).retryAfterMs, 300, 'come back no sooner than the call was given: it may still be running');
  s.faults.slow(0);

  s.faults.failNext(1, 'lost');
  const leads = s.records('crm.lead').length;
  t.type(await attempt(), OdooTimeoutError, 'an answer that never comes is a timeout');
  t.equal(s.records('crm.lead').length, leads + 1, 'although the create happened');

  s.faults.down();
  const down = await attempt();
  t.type(down, OdooTransportError, 'server down');
  t.equal((down as OdooError).retryable, true);
  s.faults.up();
  t.ok(typeof (await attempt()) === 'number', 'works again once up');
});

t.test('JSON-2 errors map like XML-RPC faults', async (t) => {
  const s = await startOdooStandIn({ version: '19.0' });
  t.teardown(() => s.close());
  const bad = createOdooClient({ url: s.url, db: s.db, username: s.username, password: 'not-the-key', transport: 'json2' });
  const denied = await bad.connect().catch((e: unknown) => e);
  bad.close();
  t.type(denied, OdooAccessDeniedError, '401 Invalid apikey');
  t.equal((denied as OdooError).httpStatus, 401);
  const odoo = createOdooClient({ url: s.url, db: s.db, username: s.username, password: s.apiKey, transport: 'json2' });
  t.teardown(() => odoo.close());
  t.equal((await odoo.connect()).transport, 'json2');
  t.type(await odoo.write('crm.lead', [999999], { name: 'x' }).catch((e: unknown) => e), OdooMissingRecordError);
  t.type(await odoo.create('crm.lead', { email_from: 'a@b.c' }).catch((e: unknown) => e), OdooValidationError);
  const f = (await odoo.create('crm.lead', { name: 'x', x_nope: 1 }).catch((e: unknown) => e)) as OdooError;
  t.type(f, OdooFaultError);
  t.equal(f.message, "Invalid field 'x_nope' on model 'crm.lead'");
  t.match(f.traceback, /^Traceback/);
  s.faults.failNext(1, 'transport');
  t.type(await odoo.create('crm.lead', { name: 'x' }).catch((e: unknown) => e), OdooTransportError);
  s.faults.failNext(1, 'concurrency');
  t.type(await odoo.create('crm.lead', { name: 'x' }).catch((e: unknown) => e), OdooConcurrencyError);
});

t.test('errorFromJson2 without a JSON error body falls back on the HTTP status', async (t) => {
  t.type(errorFromJson2(502, '<html>Bad Gateway</html>'), OdooTransportError);
  t.equal(errorFromJson2(503, null).retryable, true);
  t.type(errorFromJson2(403, null), OdooAccessDeniedError);
  t.equal(errorFromJson2(404, null).retryable, false);
});
