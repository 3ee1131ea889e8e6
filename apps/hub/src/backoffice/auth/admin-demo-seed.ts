/**
 * Development only (`npm start`, SEED_DEMO=true, never in production): one system admin and one
 * admin per seeded tenant, all with the same documented password and TOTP secret so that a
 * developer can sign in with any authenticator app (or `npm run admin:totp`).
 */
export const DEMO_ADMIN_PASSWORD = 'tsunagu-admin-demo-2026';

/** Base32, 160 bits. Printed by `npm start`; anyone reading this file knows it: development only. */
export const DEMO_ADMIN_TOTP_SECRET = 'TSUNAGUDEMOADMINTOTPSECRET234567';

export const DEMO_ADMINS: { loginId: string; displayName: string; tenantCode: string | null }[] = [
  { loginId: 'system-admin', displayName: 'システム管理者（デモ）', tenantCode: null },
  { loginId: 'admin-tottori-pref', displayName: '鳥取県 管理者（デモ）', tenantCode: 'tottori-pref' },
  { loginId: 'admin-misasa', displayName: '三朝町 管理者（デモ）', tenantCode: 'misasa' },
  { loginId: 'admin-tottori-city', displayName: '鳥取市 管理者（デモ）', tenantCode: 'tottori-city' },
  { loginId: 'admin-kurayoshi', displayName: '倉吉市 管理者（デモ）', tenantCode: 'kurayoshi' },
];

/** The admin networks the seeded tenants get in development when they have none: this machine. */
export const DEMO_ADMIN_NETWORKS = ['127.0.0.1/32', '::1/128'];
