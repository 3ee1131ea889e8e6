/** The resident portal is a first-party OIDC client of the hub (public subject, no consent screen). */
export const PORTAL_CLIENT_ID = 'tsunagu-portal';
export const PORTAL_CALLBACK_PATH = '/account/callback';
/** Where the hub's end-session sends the resident after signing out of the portal. */
export const PORTAL_SIGNED_OUT_PATH = '/account/signed-out';
