import { ErrorReason } from '@tsunagu/contracts';

/** Bilingual message: Japanese first (shown to residents and staff), English alongside. */
export interface BilingualMessage {
  ja: string;
  en: string;
}

/** Field-level problems, and values a client may act on (a count, a field name). */
export type ErrorDetails = { field: string; problem: string }[];

/**
 * Base of every module's exception: a stable code from a closed set and the reason it maps to.
 * Modules subclass it (`LinkException`, `ResidentException`, …) with their own code union.
 */
export class DomainException<C extends string = string> extends Error {
  constructor(
    readonly code: C,
    readonly reason: ErrorReason,
    readonly bilingual: BilingualMessage,
    readonly details?: ErrorDetails,
  ) {
    super(bilingual.en);
    this.name = new.target.name;
  }
}

/**
 * A module's exception class whose messages come from its table: `new ConsentException('consent_withdrawn')`,
 * with details `new ConsentException('items_not_offered', details)`, or with a message that must
 * carry a value `new AdminException('service_has_active_consents', message, details)`.
 */
export interface TabledExceptionClass<C extends string> {
  new (code: C, details?: ErrorDetails): DomainException<C>;
  new (code: C, message: BilingualMessage, details?: ErrorDetails): DomainException<C>;
  readonly prototype: DomainException<C>;
}

/** A module's exception class without a messages table: every throw names its message. */
export interface UntabledExceptionClass<C extends string> {
  new (code: C, message: BilingualMessage, details?: ErrorDetails): DomainException<C>;
  readonly prototype: DomainException<C>;
}

/**
 * Builds an exception class for one module from its code → reason table and, preferably, its
 * code → message table (libs/contracts `XXX_ERROR_MESSAGES`), so a throw names only the code.
 */
export function exceptionFor<C extends string>(name: string, reasons: Record<C, ErrorReason>, messages: Record<C, BilingualMessage>): TabledExceptionClass<C>;
export function exceptionFor<C extends string>(name: string, reasons: Record<C, ErrorReason>): UntabledExceptionClass<C>;
export function exceptionFor<C extends string>(name: string, reasons: Record<C, ErrorReason>, messages?: Record<C, BilingualMessage>): TabledExceptionClass<C> {
  const klass = class extends DomainException<C> {
    constructor(code: C, messageOrDetails?: BilingualMessage | ErrorDetails, details?: ErrorDetails) {
      const override = Array.isArray(messageOrDetails) ? undefined : messageOrDetails;
      // Without a table the types require a message; a code is never shown as the words.
      const message = override ?? messages?.[code] ?? { ja: '処理できませんでした。', en: 'The request could not be processed.' };
      super(code, reasons[code], message, Array.isArray(messageOrDetails) ? messageOrDetails : details);
    }
  };
  Object.defineProperty(klass, 'name', { value: name });
  return klass;
}
