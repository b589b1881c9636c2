/**
 * Odoo faults as the real server raises them (see odoo-external-api.md "Faults" and odoo-17-verified.md):
 * code 1 = Python traceback, 2 = UserError/ValidationError/MissingError message, 3 = "Access Denied",
 * 4 = AccessError message. Tracebacks are made up but shaped like Odoo 17's.
 */
export class OdooFault extends Error {
  constructor(
    readonly faultCode: 1 | 2 | 3 | 4,
    readonly faultString: string,
    /** Python exception class, used for JSON-2 error bodies. */
    readonly exceptionName: string,
  ) {
    super(faultString);
  }
}

const FRAMES = [
  '  File "/usr/lib/python3/dist-packages/odoo/addons/base/controllers/rpc.py", line 149, in xmlrpc_2',
  '    response = self._xmlrpc(service)',
  '  File "/usr/lib/python3/dist-packages/odoo/addons/base/controllers/rpc.py", line 129, in _xmlrpc',
  '    result = dispatch_rpc(service, method, params)',
  '  File "/usr/lib/python3/dist-packages/odoo/http.py", line 368, in dispatch_rpc',
  '    return dispatch(method, params)',
  '  File "/usr/lib/python3/dist-packages/odoo/service/model.py", line 37, in dispatch',
  '    res = execute_kw(db, uid, *params[3:])',
  '  File "/usr/lib/python3/dist-packages/odoo/service/model.py", line 61, in execute_kw',
  '    return execute(db, uid, obj, method, *args, **kw or {})',
];

/** A fault 1 whose faultString is a traceback ending with `<exception>: <message>`. */
export function tracebackFault(exception: string, message: string, where = '  File "/usr/lib/python3/dist-packages/odoo/models.py", line 4521, in create'): OdooFault {
  const text = ['Traceback (most recent call last):', ...FRAMES, where, `    raise ${exception.split('.').pop() ?? exception}(${JSON.stringify(message)})`, `${exception}: ${message}`, ''].join('\n');
  return new OdooFault(1, text, exception);
}

export const validationError = (message: string): OdooFault => new OdooFault(2, message, 'odoo.exceptions.ValidationError');
export const missingError = (model: string, ids: number[], uid: number): OdooFault =>
  new OdooFault(2, `Record does not exist or has been deleted.\n(Record: ${model}(${ids.length === 1 ? `${ids[0]},` : ids.join(', ')}), User: ${uid})`, 'odoo.exceptions.MissingError');
export const accessDenied = (): OdooFault => new OdooFault(3, 'Access Denied', 'odoo.exceptions.AccessDenied');
export const accessError = (message: string): OdooFault => new OdooFault(4, message, 'odoo.exceptions.AccessError');
export const invalidField = (model: string, field: string): OdooFault =>
  tracebackFault('ValueError', `Invalid field '${field}' on model '${model}'`);
export const serializationFailure = (): OdooFault =>
  tracebackFault('psycopg2.errors.SerializationFailure', 'could not serialize access due to concurrent update', '  File "/usr/lib/python3/dist-packages/odoo/sql_db.py", line 332, in execute');
