/**
 * XML-RPC wire format as Odoo 17/18 write it (Python's xmlrpc.client.dumps with allow_none=False): no
 * <nil/>, 32-bit ints only, control characters stripped, faults with an empty line before
 * </methodResponse>. Parsing of method calls uses the xmlrpc package's deserializer.
 */
import { Readable } from 'node:stream';
import Deserializer from 'xmlrpc/lib/deserializer.js';
import type { OdooFault} from './faults.js';
import { tracebackFault } from './faults.js';

export function parseMethodCall(body: Buffer): Promise<{ method: string; params: unknown[] }> {
  return new Promise((resolve, reject) => {
    new Deserializer('utf8').deserializeMethodCall(Readable.from([body]), (err, method, params) => {
      if (err) reject(err);
      else resolve({ method, params });
    });
  });
}

const escapeXml = (s: string): string =>
  // eslint-disable-next-line no-control-regex
  s.replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function value(v: unknown): string {
  if (v === null || v === undefined) throw tracebackFault('TypeError', 'cannot marshal None unless allow_none is enabled', '  File "/usr/lib/python3.11/xmlrpc/client.py", line 539, in dump_nil');
  if (typeof v === 'boolean') return `<value><boolean>${v ? 1 : 0}</boolean></value>\n`;
  if (typeof v === 'number') {
    if (Number.isInteger(v)) {
      if (v > 2147483647 || v < -2147483648) throw tracebackFault('OverflowError', 'int exceeds XML-RPC limits', '  File "/usr/lib/python3.11/xmlrpc/client.py", line 546, in dump_long');
      return `<value><int>${v}</int></value>\n`;
    }
    return `<value><double>${v}</double></value>\n`;
  }
  if (typeof v === 'string') return `<value><string>${escapeXml(v)}</string></value>\n`;
  if (Array.isArray(v)) return `<value><array><data>\n${v.map(value).join('')}</data></array></value>\n`;
  if (typeof v === 'object') {
    const members = Object.entries(v as Record<string, unknown>).map(([k, x]) => `<member>\n<name>${escapeXml(k)}</name>\n${value(x)}</member>\n`);
    return `<value><struct>\n${members.join('')}</struct></value>\n`;
  }
  throw tracebackFault('TypeError', `cannot marshal ${typeof v} objects`);
}

export function methodResponse(result: unknown): string {
  return `<?xml version="1.0"?>\n<methodResponse>\n<params>\n<param>\n${value(result)}</param>\n</params>\n</methodResponse>\n`;
}

export function faultResponse(fault: OdooFault): string {
  return `<?xml version="1.0"?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n<value><int>${fault.faultCode}</int></value>\n</member>\n<member>\n<name>faultString</name>\n<value><string>${escapeXml(fault.faultString)}</string></value>\n</member>\n</struct></value>\n</fault>\n\n</methodResponse>\n`;
}
