/**
 * The one rule every string from outside must follow before it reaches the database: well-formed
 * UTF-16 (no lone surrogate: PostgreSQL refuses to encode one) and no C0 control character
 * (U+0000 is refused by PostgreSQL `text`; the others have no place in any field). Multi-line
 * text (text areas, pasted PEM, a JWT in a text body) may carry tab, line feed and carriage return.
 */

/** C0 controls (and DEL): nothing a person types into a field. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_LINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** `String.prototype.isWellFormed` (Node 20; the compiler's lib is older than ES2024). */
type WellFormedString = string & { isWellFormed(): boolean };

/** What is wrong with a string (undefined when nothing is). */
export type TextProblem = 'not_well_formed' | 'control_character';

/** The problem of one string; `multiline` lets tab, line feed and carriage return through. */
export function textProblem(value: string, multiline = false): TextProblem | undefined {
  if (!(value as WellFormedString).isWellFormed()) return 'not_well_formed';
  if ((multiline ? CONTROL_BUT_LINES : CONTROL).test(value)) return 'control_character';
  return undefined;
}

/** True for a string that may be stored and shown as is (see {@link textProblem}). */
export function isCleanText(value: unknown, multiline = false): value is string {
  return typeof value === 'string' && !textProblem(value, multiline);
}

/** True for a string with something else than white space in it (a required name, a title). */
export function isNonBlank(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/**
 * The first bad string anywhere in a parsed value (object keys included), as a field path and its
 * problem; undefined when every string is clean. Depth is bounded by the body parsers' size limit.
 */
export function findTextProblem(value: unknown, multiline: boolean, path = ''): { field: string; problem: TextProblem } | undefined {
  if (typeof value === 'string') {
    const problem = textProblem(value, multiline);
    return problem ? { field: path || '(value)', problem } : undefined;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findTextProblem(value[i], multiline, `${path}[${i}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      const keyProblem = textProblem(key, false);
      if (keyProblem) return { field: `${path}${path ? '.' : ''}(key)`, problem: keyProblem };
      const found = findTextProblem(inner, multiline, `${path}${path ? '.' : ''}${key}`);
      if (found) return found;
    }
  }
  return undefined;
}
