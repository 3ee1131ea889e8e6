import type { Msg } from '@tsunagu/web';

/** A seeded local account, shown on the link page of a demo so that testers can link. */
export interface DemoAccountHint {
  localId: string;
  pin: string;
  name: string;
}

/** What makes one demo service look like itself on the shared screens. */
export interface DemoProfile {
  /** Shown in the header and titles: `キャッシュレス決済基盤（デモ）`. */
  brand: Msg;
  /** One or two sentences on the home page. */
  description: Msg;
  /** What the service offers, bullet points on the home page. */
  features: Msg[];
  /** Name of the local account number: `会員番号` / `Member number`. */
  localIdLabel: Msg;
  /** Accepted local account numbers (after normalisation to upper-case ASCII). */
  localIdPattern: RegExp;
  localIdExample: string;
  /** Seeded accounts, shown in a collapsed hint on the link page outside production. */
  demoAccounts: DemoAccountHint[];
  /** The service's privacy notice (`/privacy`): the page the hub's data uses link to as their privacy notice. */
  privacy: PrivacyNotice;
}

/** What a demo service's privacy notice says (shown at `/privacy`, linked from the hub's consent screens). */
export interface PrivacyNotice {
  /** Who is responsible for the personal data (the data use's controller at the hub). */
  controller: Msg;
  /** Where to ask: the same contact as the data use's at the hub. */
  contact: string;
  /** What the service itself holds about its users. */
  holds: Msg;
  /** Data the service receives from another service through Tsunagu, under the resident's consent (one entry per data use). */
  receives: { dataUse: string; title: Msg; items: Msg; purpose: Msg; retention: Msg }[];
  /** What the service provides to others through Tsunagu, only under the resident's consent. */
  provides: Msg;
}

export const DEMO_PROFILE = Symbol('DEMO_PROFILE');

/** An English label as it reads inside a sentence: `Member number` → `member number`, `User ID` → `user ID`. */
export function inSentence(label: string): string {
  return /^[A-Z][a-z]/.test(label) ? label[0].toLowerCase() + label.slice(1) : label;
}
