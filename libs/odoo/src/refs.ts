/**
 * Cache of ids that rarely change (utm records, tags, stages, activity types, ir.model) with a race-safe
 * find-or-create: after creating (or losing a unique-constraint race) it searches again and takes the
 * oldest record of that exact name, so two replicas racing converge on the same id. Odoo 16+ renames a
 * duplicate utm record to "name [2]" instead of failing; the re-search by exact name handles that too.
 * Never creates stages, models or activity types: those belong to the Odoo admin.
 */
import { OdooMissingRecordError, OdooValidationError } from './errors.js';
import type { Domain, OdooRefs } from './types.js';

export interface RefsDeps {
  searchRead<T>(model: string, domain: Domain, opts: { fields: string[]; limit: number; order: string; context?: Record<string, unknown> }): Promise<T[]>;
  create(model: string, values: Record<string, unknown>): Promise<number>;
  executeKw<T>(model: string, method: string, args: unknown[], kwargs?: Record<string, unknown>): Promise<T>;
}

export function createRefs(deps: RefsDeps): OdooRefs {
  const cache = new Map<string, Promise<number | undefined>>();

  function cached<T extends number | undefined>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = cache.get(key);
    if (hit) return hit as Promise<T>;
    const p = load();
    cache.set(key, p);
    // A failed or empty look-up is not cached: the next caller tries again.
    p.then((v) => { if (v === undefined) cache.delete(key); }, () => cache.delete(key));
    return p;
  }

  async function findByName(model: string, name: string): Promise<number | undefined> {
    const rows = await deps.searchRead<{ id: number }>(model, [['name', '=', name]], {
      fields: ['id'], limit: 1, order: 'id asc', context: { active_test: false },
    });
    return rows[0]?.id;
  }

  async function xmlId(module: string, name: string): Promise<number> {
    const ref = await deps.executeKw<[string, number]>('ir.model.data', 'check_object_reference', [module, name]);
    return ref[1];
  }

  async function findOrCreate(model: string, name: string): Promise<number> {
    const trimmed = name.trim();
    if (trimmed.length === 0) throw new OdooValidationError(`Empty name for ${model}`, { model, method: 'create' });
    const found = await findByName(model, trimmed);
    if (found !== undefined) return found;
    let created: number | undefined;
    try {
      created = await deps.create(model, { name: trimmed });
    } catch (err) {
      // Another replica won the race and the unique constraint refused ours: find the winner below.
      if (!(err instanceof OdooValidationError)) throw err;
    }
    const winner = await findByName(model, trimmed);
    if (winner === undefined) throw new OdooMissingRecordError(`${model} "${trimmed}" could not be found or created`, { model });
    if (created !== undefined && created !== winner) {
      // We lost the race: Odoo renamed ours "name [2]" (utm) or, without a constraint, kept a twin. Best effort cleanup.
      await deps.executeKw(model, 'unlink', [[created]]).catch(() => undefined);
    }
    return winner;
  }

  return {
    utmSource: (name) => cached(`utm.source:${name}`, () => findOrCreate('utm.source', name)),
    utmMedium: (name) => cached(`utm.medium:${name}`, () => findOrCreate('utm.medium', name)),
    utmCampaign: (name) => cached(`utm.campaign:${name}`, () => findOrCreate('utm.campaign', name)),
    tag: (name) => cached(`crm.tag:${name}`, () => findOrCreate('crm.tag', name)),
    activityTypeTodo: () => cached('todo', () => xmlId('mail', 'mail_activity_data_todo')),
    noteSubtype: () => cached('note', () => xmlId('mail', 'mt_note')),
    modelId: (model) =>
      cached(`ir.model:${model}`, async () => {
        const rows = await deps.searchRead<{ id: number }>('ir.model', [['model', '=', model]], { fields: ['id'], limit: 1, order: 'id asc' });
        const id = rows[0]?.id;
        if (id === undefined) throw new OdooMissingRecordError(`ir.model has no model ${model}`, { model: 'ir.model' });
        return id;
      }),
    stageByName: (name) => cached(`crm.stage:${name}`, () => findByName('crm.stage', name)),
    clear: () => cache.clear(),
  };
}
