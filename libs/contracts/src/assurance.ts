/**
 * Authentication context class references (`acr`) the hub puts in ID tokens.
 * A service that needs an identity confirmed with the My Number card asks for
 * `acr_values=urn:tsunagu:loa:jpki` and checks the `acr` claim it receives.
 */
export const Acr = {
  /** Signed in with login ID and password; identity not confirmed. */
  Password: 'urn:tsunagu:loa:password',
  /** Signed in, and the account's identity was confirmed with the My Number card's signature certificate (JPKI). */
  JpkiVerified: 'urn:tsunagu:loa:jpki',
} as const;
export type AcrValue = (typeof Acr)[keyof typeof Acr];

/** Authentication method references (`amr`, RFC 8176) the hub may report. */
export const Amr = {
  /** Password. */
  Password: 'pwd',
  /** Smart card (the My Number card). */
  SmartCard: 'sc',
  /** Proof of possession of a hardware-secured key. */
  HardwareKey: 'hwk',
} as const;
/** One value of {@link Amr}. */
export type AmrValue = (typeof Amr)[keyof typeof Amr];
