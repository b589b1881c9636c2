/**
 * Reading Odoo's value shapes: a many2one reads back as `[id, display name]` (or a bare id from webhooks and
 * `load=None` reads), an empty value as `false`. Pure.
 */

/** The id of a many2one value, whatever its shape; undefined when empty. */
export function m2oId(value: unknown): number | undefined {
  if (Array.isArray(value) && typeof value[0] === 'number') return value[0];
  return typeof value === 'number' ? value : undefined;
}
