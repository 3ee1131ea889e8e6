import { ErrorReason } from '@tsunagu/contracts';

/** Bilingual message: Japanese first (shown to residents and staff), English alongside. */
export interface BilingualMessage {
  ja: string;
  en: string;
}

/**
 * Base of every module's exception: a stable code from a closed set and the reason it maps to.
 * Modules subclass it (`LinkException`, `ResidentException`, …) with their own code union.
 */
export class DomainException<C extends string = string> extends Error {
  constructor(
    readonly code: C,
    readonly reason: ErrorReason,
    readonly bilingual: BilingualMessage,
    readonly details?: { field: string; problem: string }[],
  ) {
    super(bilingual.en);
    this.name = new.target.name;
  }
}

/** Builds an exception class for one module from its code → reason table. */
export function exceptionFor<C extends string>(name: string, reasons: Record<C, ErrorReason>) {
  const klass = class extends DomainException<C> {
    constructor(code: C, message: BilingualMessage, details?: { field: string; problem: string }[]) {
      super(code, reasons[code], message, details);
    }
  };
  Object.defineProperty(klass, 'name', { value: name });
  return klass;
}
