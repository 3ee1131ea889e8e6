import type { DataSource } from 'typeorm';

/** The rows the connector API's SQL specs start from. */
export interface ConnectCatalogIds {
  tenant: string;
  /** The providing service (offer `prov.steps`). */
  prov: string;
  /** The consuming service (data use `cons.use` asking for `prov.steps`). */
  cons: string;
  use: string;
}

/**
 * Two services of the Misasa tenant — a provider with one offer and a consumer with one data use
 * asking for it — named `<kind>のサービス` / `<kind> service`.
 */
export async function insertConnectCatalog(db: DataSource): Promise<ConnectCatalogIds> {
  const one = async (sql: string, params: unknown[] = []): Promise<string> => (await db.query(sql, params))[0].id;
  const tenant = await one(`SELECT id FROM tenants WHERE code = 'misasa'`);
  const service = (kind: string) => one(`INSERT INTO services (tenant_id, client_id, name_ja, name_en, sector_identifier, redirect_uris)
    VALUES ($1, $2, $3, $4, $2, '{https://a.example.jp/cb}') RETURNING id`, [tenant, `svc-${kind}`, `${kind}のサービス`, `${kind} service`]);
  const prov = await service('prov');
  const cons = await service('cons');
  await db.query(`INSERT INTO data_offers (tenant_id, service_id, code, name_ja, name_en, description_ja, description_en, schema)
    VALUES ($1, $2, 'prov.steps', 's', 's', 's', 's', '{}')`, [tenant, prov]);
  const use = await one(`INSERT INTO data_uses (tenant_id, service_id, code, title_ja, title_en, purpose_code, purpose_ja, purpose_en, items, retention_days,
      controller_name_ja, controller_name_en, controller_contact, privacy_notice_url)
    VALUES ($1, $2, 'cons.use', 't', 't', 'p', 'p', 'p', '{prov.steps}', 30, 'c', 'c', 'c', 'https://a.example.jp') RETURNING id`, [tenant, cons]);
  return { tenant, prov, cons, use };
}
