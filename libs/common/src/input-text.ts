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
 * How deep a parsed body may nest (objects and arrays). No schema of the hub or the connector
 * goes near it; past the edge, validation, logging and serialisation are recursive, and JSON
 * nested 10,000 levels deep (60 KB, within the size limit) overflowed the stack of this very
 * check: thrown in a body parser's callback, the error was uncaught and the request hung.
 */
export const MAX_NESTING = 32;

/** What is wrong with a parsed value: one of its strings, or its depth. */
export type ValueProblem = TextProblem | 'too_deep';

/**
 * The first bad string anywhere in a parsed value (object keys included), as a field path and its
 * problem, or `too_deep` past {@link MAX_NESTING} levels; undefined when all is well. Iterative,
 * so that no depth can overflow the stack.
 */
export function findTextProblem(value: unknown, multiline: boolean, path = ''): { field: string; problem: ValueProblem } | undefined {
  const pending: { value: unknown; path: string; depth: number }[] = [{ value, path, depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value: current, path: at, depth } = next;
    if (typeof current === 'string') {
      const problem = textProblem(current, multiline);
      if (problem) return { field: at || '(value)', problem };
      continue;
    }
    if (!current || typeof current !== 'object') continue;
    if (depth >= MAX_NESTING) return { field: at || '(value)', problem: 'too_deep' };
    const children: { value: unknown; path: string; depth: number }[] = [];
    if (Array.isArray(current)) {
      for (let i = 0; i < current.length; i++) children.push({ value: current[i], path: `${at}[${i}]`, depth: depth + 1 });
    } else {
      for (const [key, inner] of Object.entries(current)) {
        const keyProblem = textProblem(key, false);
        if (keyProblem) return { field: `${at}${at ? '.' : ''}(key)`, problem: keyProblem };
        children.push({ value: inner, path: `${at}${at ? '.' : ''}${key}`, depth: depth + 1 });
      }
    }
    // Depth first, in order: the first problem found is the first in the document.
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]);
  }
  return undefined;
}
