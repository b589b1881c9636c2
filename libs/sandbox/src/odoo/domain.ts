/**
 * Odoo domain evaluation for the stand-in: prefix `&` `|` `!` (implicit `&` between terms), leaves with
 * = != ilike not ilike =ilike like =like in not in < <= > >= child_of (as =), dotted many2one paths,
 * many2one compared by id or by display name, x2many by membership. `!=`/`not in` include empty values,
 * like Odoo's SQL ("OR field IS NULL"). Unknown fields/operators raise the same fault 1 Odoo raises.
 */
import { tracebackFault } from './faults.js';
import type { FieldDef } from './schema.js';

export type Leaf = [string, string, unknown];
export type DomainNode = { op: '&' | '|'; a: DomainNode; b: DomainNode } | { op: '!'; a: DomainNode } | { leaf: Leaf };

export interface Resolver {
  field(model: string, name: string): FieldDef | undefined;
  value(model: string, id: number, field: string): unknown;
  displayName(model: string, id: number): string;
}

const OPERATORS = new Set(['=', '!=', '<>', 'ilike', 'not ilike', '=ilike', 'like', 'not like', '=like', 'in', 'not in', '<', '<=', '>', '>=', 'child_of', '=?']);

export function parseDomain(domain: unknown[]): DomainNode | undefined {
  if (!Array.isArray(domain)) throw tracebackFault('ValueError', `Invalid domain ${JSON.stringify(domain)}`);
  let pos = 0;
  const parseOne = (): DomainNode => {
    const item = domain[pos++];
    if (item === '&' || item === '|') {
      const a = parseOne();
      const b = parseOne();
      return { op: item, a, b };
    }
    if (item === '!') return { op: '!', a: parseOne() };
    if (Array.isArray(item) && item.length === 3 && typeof item[0] === 'string' && typeof item[1] === 'string') {
      if (!OPERATORS.has(item[1].toLowerCase())) throw tracebackFault('ValueError', `Invalid leaf ${JSON.stringify(item)}`);
      return { leaf: [item[0], item[1].toLowerCase(), item[2]] };
    }
    if (item === undefined) throw tracebackFault('ValueError', `Domain ${JSON.stringify(domain)} is syntactically not correct.`);
    throw tracebackFault('ValueError', `Invalid leaf ${JSON.stringify(item)}`);
  };
  const terms: DomainNode[] = [];
  while (pos < domain.length) terms.push(parseOne());
  if (terms.length === 0) return undefined;
  return terms.reduce((a, b) => ({ op: '&', a, b }));
}

export function mentions(node: DomainNode | undefined, field: string): boolean {
  if (!node) return false;
  if ('leaf' in node) return node.leaf[0] === field || node.leaf[0].startsWith(`${field}.`);
  return mentions(node.a, field) || ('b' in node ? mentions(node.b, field) : false);
}

/** Python repr of a leaf tuple: ('x_nope', '=', 1). */
export function pyRepr(v: unknown): string {
  if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (v === true) return 'True';
  if (v === false || v === null || v === undefined) return v === false ? 'False' : 'None';
  if (Array.isArray(v)) return v === undefined ? '' : `(${v.map(pyRepr).join(', ')})`;
  return String(v);
}

const isEmpty = (v: unknown): boolean => v === false || v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

function likeToRegExp(pattern: string, anchored: boolean, caseInsensitive: boolean): RegExp {
  let src = '';
  let escaped = false;
  for (const ch of pattern) {
    // Backslash is PostgreSQL's default LIKE escape: `\_` and `\%` match themselves.
    if (!escaped && ch === '\\') escaped = true;
    else {
      if (!escaped && ch === '%') src += '.*';
      else if (!escaped && ch === '_') src += '.';
      else src += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      escaped = false;
    }
  }
  return new RegExp(anchored ? `^${src}$` : src, caseInsensitive ? 'is' : 's');
}

function compare(a: unknown, b: unknown): number | undefined {
  if (isEmpty(a) || b === false || b === null || b === undefined) return undefined;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** Values of `field` on record `id` of `model` after following a dotted path; x2many become id lists. */
function resolvePath(r: Resolver, model: string, id: number, path: string, leaf: Leaf): { values: unknown[]; def: FieldDef; model: string } {
  const [head, ...rest] = path.split('.');
  const def = r.field(model, head as string);
  if (!def) throw tracebackFault('ValueError', `Invalid field ${model}.${head} in leaf ${pyRepr(leaf)}`, '  File "/usr/lib/python3/dist-packages/odoo/osv/expression.py", line 898, in parse');
  const value = r.value(model, id, head as string);
  if (rest.length === 0) return { values: [value], def, model };
  if (!def.relation) throw tracebackFault('ValueError', `Invalid field ${model}.${head}: not a relational field`);
  const ids = Array.isArray(value) ? (value as number[]) : typeof value === 'number' ? [value] : [];
  const out: unknown[] = [];
  let last: { def: FieldDef; model: string } = { def, model };
  for (const sub of ids) {
    const res = resolvePath(r, def.relation, sub, rest.join('.'), leaf);
    out.push(...res.values);
    last = res;
  }
  if (ids.length === 0) {
    const subDef = r.field(def.relation, rest[0] as string);
    if (!subDef) throw tracebackFault('ValueError', `Invalid field ${def.relation}.${rest[0]}`);
    return { values: [false], def: subDef, model: def.relation };
  }
  return { def: last.def, model: last.model, values: out };
}

function matchValue(r: Resolver, def: FieldDef, raw: unknown, op: string, target: unknown): boolean {
  const relational = def.type === 'many2one' || def.type === 'one2many' || def.type === 'many2many';
  // Relational: a string target compares against the related record's display name (Odoo name_search).
  if (relational) {
    const ids = Array.isArray(raw) ? (raw as number[]) : typeof raw === 'number' ? [raw] : [];
    const rel = def.relation as string;
    const one = (t: unknown): boolean => {
      if (t === false || t === null) return ids.length === 0;
      if (typeof t === 'string') return ids.some((i) => matchScalar(r.displayName(rel, i), op === '=' ? '=' : op, t));
      return ids.includes(t as number);
    };
    switch (op) {
      case '=': case 'child_of': return one(target);
      case '!=': case '<>': return !one(target);
      case 'in': return (Array.isArray(target) ? target : [target]).some(one);
      case 'not in': return !(Array.isArray(target) ? target : [target]).some(one);
      case 'ilike': case 'not ilike': case '=ilike': case 'like': case '=like': case 'not like': {
        if (typeof target !== 'string') return false;
        const hit = ids.some((i) => matchScalar(r.displayName(rel, i), op.replace('not ', ''), target));
        return op.startsWith('not ') ? !hit : hit;
      }
      default: return ids.some((i) => matchScalar(i, op, target));
    }
  }
  return matchScalar(raw, op, target);
}

function matchScalar(raw: unknown, op: string, target: unknown): boolean {
  switch (op) {
    case '=': case 'child_of': case '=?':
      if (target === false || target === null) return isEmpty(raw);
      return raw === target || (typeof raw === 'number' && typeof target === 'string' && String(raw) === target);
    case '!=': case '<>':
      return !matchScalar(raw, '=', target);
    case 'in': return (Array.isArray(target) ? target : [target]).some((t) => matchScalar(raw, '=', t));
    case 'not in': return !matchScalar(raw, 'in', target);
    case 'ilike': case 'like': case 'not ilike': case 'not like': {
      const negate = op.startsWith('not ');
      if (target === false || target === null || target === '') return negate ? false : true;
      const hit = !isEmpty(raw) && likeToRegExp(String(target), false, op.includes('ilike')).test(String(raw));
      return negate ? !hit : hit;
    }
    case '=ilike': case '=like':
      if (target === false || target === null) return isEmpty(raw);
      return !isEmpty(raw) && likeToRegExp(String(target), true, op === '=ilike').test(String(raw));
    case '<': { const c = compare(raw, target); return c !== undefined && c < 0; }
    case '<=': { const c = compare(raw, target); return c !== undefined && c <= 0; }
    case '>': { const c = compare(raw, target); return c !== undefined && c > 0; }
    case '>=': { const c = compare(raw, target); return c !== undefined && c >= 0; }
    default: throw tracebackFault('ValueError', `Invalid operator ${JSON.stringify(op)}`);
  }
}

export function evaluate(node: DomainNode | undefined, r: Resolver, model: string, id: number): boolean {
  if (!node) return true;
  if ('leaf' in node) {
    const [path, op, target] = node.leaf;
    const { values, def } = resolvePath(r, model, id, path, node.leaf);
    const negative = op === '!=' || op === '<>' || op === 'not in' || op === 'not ilike' || op === 'not like';
    // A dotted path matches when any reached value matches (all, for negative operators).
    return negative ? values.every((v) => matchValue(r, def, v, op, target)) : values.some((v) => matchValue(r, def, v, op, target));
  }
  if (node.op === '!') return !evaluate(node.a, r, model, id);
  if (node.op === '&') return evaluate(node.a, r, model, id) && evaluate(node.b, r, model, id);
  return evaluate(node.a, r, model, id) || evaluate(node.b, r, model, id);
}
