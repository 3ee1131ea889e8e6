import { Foundation1763800000000 } from './1763800000000-foundation';
import { IdentityProofing1763850000000 } from './1763850000000-identity-proofing';
import { Consent1763912000000 } from './1763912000000-consent';
import { AuditChain1763960000000 } from './1763960000000-audit-chain';
import { Admin1763970000000 } from './1763970000000-admin';
import { Connect1763980000000 } from './1763980000000-connect';
import { GrantAudiences1764000000000 } from './1764000000000-grant-audiences';
import { GrantRecords1764100000000 } from './1764100000000-grant-records';
import { BackchannelLogout1764200000000 } from './1764200000000-backchannel-logout';
import { CatalogAgreements1764300000000 } from './1764300000000-catalog-agreements';
import { WithdrawalEnforcement1764400000000 } from './1764400000000-withdrawal-enforcement';
import { ProvisionSides1764410000000 } from './1764410000000-provision-sides';
import { ConnectorRevocationOutbox1764420000000 } from './1764420000000-connector-revocation-outbox';
import { JpkiCrlPartitions1764500000000 } from './1764500000000-jpki-crl-partitions';
import { JpkiLife1764510000000 } from './1764510000000-jpki-life';
import { PlatformNoticeKinds1764505000000 } from './1764505000000-platform-notice-kinds';
import { Incidents1764515000000 } from './1764515000000-incidents';
import { Inquiries1764520000000 } from './1764520000000-inquiries';
import { AvailabilityProbes1764530000000 } from './1764530000000-availability-probes';
import { RecoverySessions1764550000000 } from './1764550000000-recovery-sessions';
import { Departures1764560000000 } from './1764560000000-departures';
import { TenantExit1764580000000 } from './1764580000000-tenant-exit';
import { DashboardRollup1764590000000 } from './1764590000000-dashboard-rollup';
import { StatisticsStore1764600000000 } from './1764600000000-statistics-store';
import { StatisticsUses1764610000000 } from './1764610000000-statistics-uses';

/** Every migration of the hub's schema, oldest first. Add new ones at the end. */
export const hubMigrations = [Foundation1763800000000, IdentityProofing1763850000000, Consent1763912000000, AuditChain1763960000000, Admin1763970000000, Connect1763980000000, GrantAudiences1764000000000, GrantRecords1764100000000, BackchannelLogout1764200000000, CatalogAgreements1764300000000, WithdrawalEnforcement1764400000000, ProvisionSides1764410000000, ConnectorRevocationOutbox1764420000000, JpkiCrlPartitions1764500000000, PlatformNoticeKinds1764505000000, JpkiLife1764510000000, Incidents1764515000000, Inquiries1764520000000, AvailabilityProbes1764530000000, RecoverySessions1764550000000, Departures1764560000000, TenantExit1764580000000, DashboardRollup1764590000000, StatisticsStore1764600000000, StatisticsUses1764610000000];
