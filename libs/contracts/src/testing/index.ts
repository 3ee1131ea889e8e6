/**
 * `@tsunagu/contracts/testing`: test material for specs (not part of the wire contract, not in the
 * build): well-formed consent receipts and signed chains under fresh keys.
 */
export * from './receipt-samples';
