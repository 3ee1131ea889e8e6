/**
 * The adapters' mapping language: JSON Pointers (RFC 6901) and nothing else — no expressions, no
 * code, no prototype walking. A service vendor can read a mapping at a glance, and a malicious
 * response cannot make the connector do anything but copy values.
 */

/** Raised when `select` finds nothing or `fields` meets something that is not an object. */
export class MappingError extends Error {
  constructor(readonly pointer: string, message: string) {
    super(message);
    this.name = 'MappingError';
  }
}

const own = (value: object, key: string) => Object.prototype.hasOwnProperty.call(value, key);

/** The value at `pointer` inside `doc` (own properties and array indices only), or `found: false`. */
export function resolvePointer(doc: unknown, pointer: string): { found: boolean; value?: unknown } {
  if (pointer === '') return { found: true, value: doc };
  if (!pointer.startsWith('/')) return { found: false };
  let current: unknown = doc;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) {
      if (!/^(0|[1-9][0-9]*)$/.test(token) || Number(token) >= current.length) return { found: false };
      current = current[Number(token)];
    } else if (current !== null && typeof current === 'object' && own(current, token)) {
      current = (current as Record<string, unknown>)[token];
    } else {
      return { found: false };
    }
  }
  return { found: true, value: current };
}

function reshape(value: unknown, fields: Record<string, string>, at: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new MappingError(at, `${at || '/'} is not an object`);
  // fromEntries defines own properties, so even a field called "__proto__" stays plain data.
  return Object.fromEntries(Object.entries(fields).flatMap(([name, pointer]) => {
    const hit = resolvePointer(value, pointer);
    return hit.found ? [[name, hit.value]] : [];
  }));
}

/**
 * Applies one item's mapping to a service response: `select`, then `fields` on the selected object
 * or on each element of the selected array.
 */
export function mapResponse(doc: unknown, select: string, fields?: Record<string, string>): unknown {
  const hit = resolvePointer(doc, select);
  if (!hit.found) throw new MappingError(select, `nothing at ${select || '/'}`);
  if (!fields) return hit.value;
  if (Array.isArray(hit.value)) return hit.value.map((element, i) => reshape(element, fields, `${select}/${i}`));
  return reshape(hit.value, fields, select);
}
