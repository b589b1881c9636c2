/**
 * The stand-in's in-memory ORM: records per model, create/write/read/search/unlink with Odoo 17 semantics
 * (defaults, required → fault 2, unknown field or bad value → fault 1 traceback, missing record → fault 2,
 * many2one read as [id, display_name], x2many command lists, active_test, order/limit/offset, unique
 * constraints, utm duplicate-name renaming). Never performs I/O.
 */
import { parseDomain, evaluate, mentions, pyRepr, type Resolver } from './domain.js';
import { invalidField, missingError, tracebackFault, validationError } from './faults.js';
import type { Env, FieldDef, ModelDef } from './schema.js';

export type Row = Record<string, unknown>;

/** As the real 17.0 server words a NOT NULL violation (verified against the lab). */
const mandatoryMessage = (def: ModelDef, name: string, fd: FieldDef): string =>
  `The operation cannot be completed:\n- Create/update: a mandatory field is not set.\n- Delete: another model requires the record being deleted. If possible, archive it instead.\n\nModel: ${def.description} (${def.name})\nField: ${fd.string} (${name})\n`;

const BLOCK = /^\s*<(p|div|ul|ol|table|h[1-6]|blockquote|pre|section|article)[\s>]/i;
/** Odoo's html sanitizer wraps text that is not in a block element in <p> (verified on 17.0). */
export const wrapHtml = (html: string): string => (html.length === 0 || BLOCK.test(html) ? html : `<p>${html}</p>`);
/**
 * tools.email_normalize: the one address in `text` (`"Name" <addr>` or bare), its domain lower-cased and its
 * local part too when ASCII (Odoo keeps the case of an international one); false without exactly one address.
 */
function emailNormalize(text: unknown): string | false {
  if (typeof text !== 'string') return false;
  const found = text.match(/[^\s<>,;"]+@[^\s<>,;"]+/g) ?? [];
  if (found.length !== 1) return false;
  const address = found[0] as string;
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at);
  return `${/^\p{ASCII}*$/u.test(local) ? local.toLowerCase() : local}@${address.slice(at + 1).toLowerCase()}`;
}
const stamp = (env: Env): string => env.now().toISOString().slice(0, 19).replace('T', ' ');

export class Store {
  private readonly tables = new Map<string, Map<number, Row>>();
  private readonly seq = new Map<string, number>();

  constructor(readonly schema: Map<string, ModelDef>) {
    for (const name of schema.keys()) {
      this.tables.set(name, new Map());
      this.seq.set(name, 0);
    }
  }

  model(name: string): ModelDef {
    const def = this.schema.get(name);
    if (!def) throw validationError(`Object ${name} doesn't exist`);
    return def;
  }

  table(name: string): Map<number, Row> {
    this.model(name);
    return this.tables.get(name) as Map<number, Row>;
  }

  /** Deep copy of every stored record (raw values: many2one as id, x2many as id lists). */
  dump(name: string): Row[] {
    return [...this.table(name).entries()].map(([id, r]) => ({ id, ...structuredClone(r) }));
  }

  private resolver(): Resolver {
    return {
      field: (model, name) => this.schema.get(model)?.fields[name],
      value: (model, id, field) => this.rawValue(model, id, field),
      displayName: (model, id) => this.displayName(model, id),
    };
  }

  private rawValue(model: string, id: number, field: string): unknown {
    const row = this.tables.get(model)?.get(id);
    if (!row) return false;
    if (field === 'id') return id;
    if (field === 'display_name') return this.displayName(model, id) || false;
    // res.partner.email_formatted: `"Name" <email>` (tools.formataddr), '' without an email.
    if (model === 'res.partner' && field === 'email_formatted') return typeof row['email'] === 'string' && row['email'] !== '' ? `"${String(row['name'])}" <${row['email']}>` : '';
    // email_normalized (mail.thread.blacklist): stored and computed by Odoo from the record's email field.
    if (field === 'email_normalized' && (model === 'crm.lead' || model === 'res.partner')) return emailNormalize(row[model === 'crm.lead' ? 'email_from' : 'email']);
    const def = this.schema.get(model)?.fields[field];
    if (def?.type === 'one2many' && def.relation && def.inverse) {
      return this.oneToManyIds(model, id, def);
    }
    return row[field] ?? (def && (def.type === 'many2many' || def.type === 'one2many') ? [] : false);
  }

  private oneToManyIds(model: string, id: number, def: FieldDef): number[] {
    const rel = def.relation as string;
    const inverse = def.inverse as string;
    const out: number[] = [];
    for (const [rid, r] of this.tables.get(rel) ?? []) {
      // mail.message / mail.activity point back with (model|res_model, res_id).
      if (inverse === 'res_id') {
        if (r['res_id'] === id && (r['model'] === model || r['res_model'] === model)) out.push(rid);
      } else if (r[inverse] === id) out.push(rid);
    }
    // As Odoo reads an x2many: in the comodel's order (a lead's chatter newest first; verified on 17.0).
    return this.sort(rel, out, this.model(rel).order);
  }

  displayName(model: string, id: number): string {
    const def = this.schema.get(model);
    const row = this.tables.get(model)?.get(id);
    if (!def || !row) return '';
    if (model === 'mail.activity') {
      const t = row['activity_type_id'];
      return String(row['summary'] || (typeof t === 'number' ? this.displayName('mail.activity.type', t) : ''));
    }
    if (def.recName in def.fields && row[def.recName] === false) return '';
    const v = row[def.recName];
    return typeof v === 'string' ? v : `${model},${id}`;
  }

  userHasGroup(uid: number, groupXmlId: string): boolean {
    const [module, name] = groupXmlId.split('.');
    const data = [...this.table('ir.model.data').values()].find((r) => r['module'] === module && r['name'] === name && r['model'] === 'res.groups');
    const groups = this.tables.get('res.users')?.get(uid)?.['groups_id'];
    return data !== undefined && Array.isArray(groups) && groups.includes(data['res_id']);
  }

  userPartner(uid: number): number | false {
    const partner = this.tables.get('res.users')?.get(uid)?.['partner_id'];
    return typeof partner === 'number' ? partner : false;
  }

  exists(model: string, id: number): boolean {
    return this.table(model).has(id);
  }

  // --- search -------------------------------------------------------------

  search(model: string, domain: unknown[], env: Env, opts: { limit?: number; offset?: number; order?: string } = {}): number[] {
    const def = this.model(model);
    const node = parseDomain(domain ?? []);
    const activeTest = env.context['active_test'] !== false && 'active' in def.fields && !mentions(node, 'active');
    const r = this.resolver();
    let ids = [...this.table(model).keys()].filter((id) => {
      if (activeTest && this.rawValue(model, id, 'active') === false) return false;
      return evaluate(node, r, model, id);
    });
    ids = this.sort(model, ids, opts.order ?? def.order);
    const offset = opts.offset ?? 0;
    const limit = typeof opts.limit === 'number' && opts.limit > 0 ? opts.limit : undefined;
    return ids.slice(offset, limit === undefined ? undefined : offset + limit);
  }

  private sort(model: string, ids: number[], order: string): number[] {
    const def = this.model(model);
    const keys = order.split(',').map((s) => s.trim()).filter(Boolean).map((part) => {
      const [field = 'id', dir = 'asc'] = part.split(/\s+/);
      if (!(field in def.fields)) throw invalidField(model, field);
      return { field, desc: dir.toLowerCase() === 'desc' };
    });
    const val = (id: number, field: string): unknown => {
      const fd = def.fields[field] as FieldDef;
      const v = this.rawValue(model, id, field);
      if (fd.type === 'many2one' && typeof v === 'number') return this.displayName(fd.relation as string, v);
      return v;
    };
    return ids.sort((a, b) => {
      for (const k of keys) {
        const va = val(a, k.field);
        const vb = val(b, k.field);
        if (va === vb) continue;
        // PostgreSQL puts NULLs last in ASC and first in DESC.
        if (va === false) return k.desc ? -1 : 1;
        if (vb === false) return k.desc ? 1 : -1;
        const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb));
        if (c !== 0) return k.desc ? -c : c;
      }
      return a - b;
    });
  }

  // --- read ---------------------------------------------------------------

  read(model: string, ids: number[], fields: string[] | undefined, env: Env): Row[] {
    const def = this.model(model);
    const names = fields && fields.length > 0 ? fields : Object.keys(def.fields).filter((n) => n !== 'id');
    for (const n of names) if (!(n in def.fields)) throw invalidField(model, n);
    // Real 17.0: read() of a deleted id returns no row for it (no fault).
    void env;
    return ids.filter((id) => this.exists(model, id)).map((id) => {
      const out: Row = { id };
      for (const n of names) {
        if (n === 'id') continue;
        const fd = def.fields[n] as FieldDef;
        const v = this.rawValue(model, id, n);
        if (fd.type === 'many2one') {
          out[n] = typeof v === 'number' && fd.relation && this.tables.get(fd.relation)?.has(v) ? [v, this.displayName(fd.relation, v)] : typeof v === 'number' ? [v, `${fd.relation},${v}`] : false;
        } else if (fd.type === 'one2many' || fd.type === 'many2many') {
          out[n] = Array.isArray(v) ? [...(v as number[])] : [];
        } else if (fd.type === 'integer' || fd.type === 'many2one_reference') {
          out[n] = typeof v === 'number' ? v : fd.type === 'integer' ? 0 : false;
        } else if (fd.type === 'float' || fd.type === 'monetary') {
          out[n] = typeof v === 'number' ? v : 0;
        } else {
          out[n] = v ?? false;
        }
      }
      return out;
    });
  }

  // --- create / write -----------------------------------------------------

  create(model: string, vals: Row, env: Env): number {
    const def = this.model(model);
    const defaults = def.defaults?.(env, this) ?? {};
    const row: Row = {};
    const id = (this.seq.get(model) ?? 0) + 1;
    const values = { ...defaults, ...vals };
    this.checkValues(def, values);
    for (const [name, fd] of Object.entries(def.fields)) {
      if (fd.required && !(name in values && values[name] !== false && values[name] !== null)) {
        throw validationError(
          mandatoryMessage(def, name, fd),
        );
      }
    }
    const pending: (() => void)[] = [];
    for (const [name, value] of Object.entries(values)) {
      const fd = def.fields[name] as FieldDef;
      if (name === 'id' || name === 'display_name') continue;
      if (fd.type === 'one2many' || fd.type === 'many2many') {
        pending.push(() => this.applyX2many(model, id, name, fd, value, env));
        continue;
      }
      row[name] = this.convert(model, name, fd, value);
    }
    if (def.uniqueNameRename && typeof row['name'] === 'string') row['name'] = this.uniqueName(model, row['name']);
    this.checkUnique(def, row, undefined);
    this.checkConstraints(def, row);
    if (model === 'mail.message' && row['record_name'] === undefined && typeof row['model'] === 'string' && typeof row['res_id'] === 'number' && this.tables.has(row['model'])) {
      row['record_name'] = this.displayName(row['model'], row['res_id']);
    }
    if (model === 'mail.activity' && typeof row['res_model_id'] === 'number') {
      const resModel = this.tables.get('ir.model')?.get(row['res_model_id'])?.['model'];
      row['res_model'] = resModel ?? false;
      row['res_name'] = typeof resModel === 'string' && typeof row['res_id'] === 'number' ? this.displayName(resModel, row['res_id']) : false;
    }
    row['create_date'] = row['write_date'] = stamp(env);
    row['create_uid'] = row['write_uid'] = env.uid;
    this.seq.set(model, id);
    this.table(model).set(id, row);
    for (const p of pending) p();
    return id;
  }

  write(model: string, ids: number[], vals: Row, env: Env): true {
    const def = this.model(model);
    this.checkValues(def, vals);
    const missing = ids.filter((id) => !this.exists(model, id));
    if (missing.length > 0) throw missingError(model, missing, env.uid);
    for (const id of ids) {
      const row = this.table(model).get(id) as Row;
      const next: Row = { ...row };
      for (const [name, value] of Object.entries(vals)) {
        const fd = def.fields[name] as FieldDef;
        if (fd.type === 'one2many' || fd.type === 'many2many') continue;
        if (fd.required && (value === false || value === null)) {
          throw validationError(mandatoryMessage(def, name, fd));
        }
        next[name] = this.convert(model, name, fd, value);
      }
      this.checkUnique(def, next, id);
      this.checkConstraints(def, next);
      Object.assign(row, next, { write_date: stamp(env), write_uid: env.uid });
      for (const [name, value] of Object.entries(vals)) {
        const fd = def.fields[name] as FieldDef;
        if (fd.type === 'one2many' || fd.type === 'many2many') this.applyX2many(model, id, name, fd, value, env);
      }
    }
    return true;
  }

  unlink(model: string, ids: number[], env: Env): true {
    const missing = ids.filter((id) => !this.exists(model, id));
    if (missing.length > 0) throw missingError(model, missing, env.uid);
    for (const id of ids) this.table(model).delete(id);
    return true;
  }

  private checkValues(def: ModelDef, vals: Row): void {
    for (const name of Object.keys(vals)) {
      if (!(name in def.fields)) throw invalidField(def.name, name);
    }
  }

  private convert(model: string, name: string, fd: FieldDef, value: unknown): unknown {
    if (value === null || value === undefined || value === false) {
      return fd.type === 'boolean' ? false : false;
    }
    const bad = (): never => {
      throw tracebackFault('ValueError', `Wrong value for ${model}.${name}: ${pyRepr(value)}`, '  File "/usr/lib/python3/dist-packages/odoo/fields.py", line 1285, in convert_to_column');
    };
    switch (fd.type) {
      case 'integer': case 'many2one_reference':
        if (typeof value === 'number' && Number.isInteger(value)) return value;
        if (typeof value === 'string' && /^-?\d+$/.test(value)) return Number(value);
        throw tracebackFault('ValueError', `invalid literal for int() with base 10: ${pyRepr(value)}`, '  File "/usr/lib/python3/dist-packages/odoo/fields.py", line 1305, in convert_to_cache');
      case 'float': case 'monetary':
        if (typeof value === 'number') return value;
        if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
        // Real 17.0: probability 'abc' → fault 1 (psycopg2 InvalidTextRepresentation).
        throw tracebackFault('psycopg2.errors.InvalidTextRepresentation', `invalid input syntax for type double precision: ${JSON.stringify(value)}`, '  File "/usr/lib/python3/dist-packages/odoo/sql_db.py", line 332, in execute');
      case 'boolean':
        return Boolean(value);
      case 'many2one': {
        if (typeof value !== 'number' || !Number.isInteger(value)) return bad();
        const rel = fd.relation as string;
        if (this.tables.has(rel) && !this.tables.get(rel)?.has(value)) {
          // Real 17.0 names the foreign-key constraint (verified against the lab).
          throw validationError(`The operation cannot be completed: another model requires the record being deleted. If possible, archive it instead.\n\nModel: ${this.schema.get(model)?.description} (${model})\nConstraint: ${model.replace(/\./g, '_')}_${name}_fkey\n`);
        }
        return value;
      }
      case 'selection':
        if (fd.selection && !fd.selection.some(([k]) => k === value)) bad();
        return value;
      case 'html':
        if (typeof value !== 'string') return bad();
        return wrapHtml(value);
      case 'date': case 'datetime': {
        // Odoo parses value[:10] as %Y-%m-%d (and value[:19] as %Y-%m-%d %H:%M:%S for datetimes).
        if (typeof value !== 'string') return bad();
        const date = /^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(Date.parse(value.slice(0, 10)));
        if (!date) throw tracebackFault('ValueError', `time data ${pyRepr(value)} does not match format '%Y-%m-%d'`, '  File "/usr/lib/python3/dist-packages/odoo/fields.py", line 2163, in to_date');
        if (fd.type === 'date') return value.slice(0, 10);
        if (value.length === 10) return `${value} 00:00:00`;
        if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/.test(value)) throw tracebackFault('ValueError', `time data ${pyRepr(value)} does not match format '%Y-%m-%d %H:%M:%S'`, '  File "/usr/lib/python3/dist-packages/odoo/fields.py", line 2290, in to_datetime');
        return value.slice(0, 19);
      }
      case 'char': case 'text':
        if (typeof value !== 'string') return typeof value === 'number' ? String(value) : bad();
        return value;
      default:
        return value;
    }
  }

  private applyX2many(model: string, id: number, name: string, fd: FieldDef, value: unknown, env: Env): void {
    const rel = fd.relation as string;
    const row = this.table(model).get(id) as Row;
    if (!Array.isArray(value)) throw tracebackFault('ValueError', `Wrong value for ${model}.${name}: ${JSON.stringify(value)}`);
    let current = new Set<number>(fd.type === 'one2many' ? [] : ((row[name] as number[] | undefined) ?? []));
    const linkInverse = (cid: number): void => {
      if (fd.type === 'one2many' && fd.inverse && fd.inverse !== 'res_id') this.table(rel).get(cid)![fd.inverse] = id;
    };
    // A plain list of ids on a many2many means "replace" (Odoo accepts it like (6, 0, ids)).
    const commands = value.every((v) => typeof v === 'number') ? [[6, 0, value]] : value;
    for (const cmd of commands) {
      if (!Array.isArray(cmd)) throw tracebackFault('ValueError', `Wrong value for ${model}.${name}: ${JSON.stringify(cmd)}`);
      const [op, arg1, arg2] = cmd as [number, unknown, unknown];
      switch (op) {
        case 0: {
          const vals = { ...(arg2 as Row) };
          // As Odoo: only the inverse field is set; a message or activity must name its model itself.
          if (fd.type === 'one2many' && fd.inverse) vals[fd.inverse] = id;
          const cid = this.create(rel, vals, env);
          current.add(cid);
          break;
        }
        case 1: this.write(rel, [arg1 as number], arg2 as Row, env); break;
        case 2: this.unlink(rel, [arg1 as number], env); current.delete(arg1 as number); break;
        case 3: current.delete(arg1 as number); break;
        case 4:
          if (!this.exists(rel, arg1 as number)) throw missingError(rel, [arg1 as number], env.uid);
          current.add(arg1 as number); linkInverse(arg1 as number); break;
        case 5: current = new Set(); break;
        case 6: {
          const ids = (arg2 as number[]) ?? [];
          const missing = ids.filter((i) => !this.exists(rel, i));
          if (missing.length > 0) throw missingError(rel, missing, env.uid);
          current = new Set(ids);
          ids.forEach(linkInverse);
          break;
        }
        default: throw tracebackFault('ValueError', `Wrong value for ${model}.${name}: ${JSON.stringify(cmd)}`);
      }
    }
    if (fd.type === 'many2many') row[name] = [...current];
  }

  private checkUnique(def: ModelDef, row: Row, selfId: number | undefined): void {
    for (const [field, message] of def.unique ?? []) {
      const v = row[field];
      if (v === false || v === undefined || v === null) continue;
      for (const [id, other] of this.table(def.name)) {
        if (id !== selfId && other[field] === v) {
          // Odoo turns the IntegrityError of an SQL constraint into a ValidationError (fault 2).
          throw validationError(`The operation cannot be completed: ${message}`);
        }
      }
    }
  }

  private checkConstraints(def: ModelDef, row: Row): void {
    for (const [check, message] of def.checks ?? []) {
      if (!check(row)) throw validationError(`The operation cannot be completed: ${message}`);
    }
  }

  private uniqueName(model: string, name: string): string {
    const taken = new Set([...this.table(model).values()].map((r) => r['name']));
    if (!taken.has(name)) return name;
    let n = 2;
    while (taken.has(`${name} [${n}]`)) n++;
    return `${name} [${n}]`;
  }
}
