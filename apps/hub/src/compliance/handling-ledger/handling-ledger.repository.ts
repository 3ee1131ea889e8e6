import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { HandlingKind } from '@tsunagu/contracts';

/** One line of the handling ledger (台帳), whatever its source. */
export interface HandlingEntryRow {
  kind: HandlingKind;
  at: Date;
  /** What was done (the process), in Japanese. */
  process: string;
  /** Who or what did it: an admin's login ID, a service, a job. */
  responsible: string;
  /** The personal data concerned (items, kinds). */
  items: string;
  /** Where to / where kept / how long, as the kind needs. */
  detail: string;
  /** The source record (provision, audit seq, data use, checkpoint). */
  ref: string;
}

export interface HandlingFilter {
  /** null: the whole platform. */
  tenantId: string | null;
  kind?: HandlingKind;
  from?: Date;
  to?: Date;
}

/**
 * The ledger is read from what the system records, never typed by hand:
 * - 受け渡し (handover): provision records of data actually provided, connector to connector;
 * - 利用 (use): admins' reads of residents' personal data (`admin.read` audit events);
 * - 複写・複製 (copy): exports of the audit log and of this ledger (`admin.audit_export`, `admin.export`), and the
 *   platform's database backups (`backup.written`: platform only);
 * - 保管 (storage): what each data use keeps, where and how long (its retention setting);
 * - 廃棄 (disposal): audit-log retention cuts (signed `cut` checkpoints; platform only), and the
 *   erasures of issued erasure certificates (docs/erasure.md): one row per connector that confirmed
 *   it (scoped to the connector's tenant), and the hub's own (platform only).
 */
const LEDGER = `
  SELECT 'handover' AS kind, p.occurred_at AS at, 'コネクタ間のデータ提供（' || ps.name_ja || ' → ' || cs.name_ja || '）' AS process,
    'コネクタの提供報告（' || ps.client_id || '）' AS responsible, array_to_string(p.items, '、') AS items, 'データ利用: ' || u.code AS detail, p.id::text AS ref
  FROM provision_records p JOIN services ps ON ps.id = p.provider_service_id JOIN services cs ON cs.id = p.consumer_service_id JOIN data_uses u ON u.id = p.data_use_id
  WHERE p.outcome = 'provided' AND ($1::uuid IS NULL OR p.tenant_id = $1 OR p.provider_tenant_id = $1)
  UNION ALL
  SELECT CASE WHEN e.type = 'admin.read' THEN 'use' ELSE 'copy' END, e.occurred_at,
    CASE WHEN e.type = 'admin.read' THEN '管理者による閲覧（' || COALESCE(e.details->>'action', '') || '）'
         WHEN e.type = 'admin.audit_export' THEN '監査ログの書き出し（' || COALESCE(e.details->>'format', '') || '）'
         WHEN e.type = 'backup.written' THEN 'データベースのバックアップ（' || CASE WHEN e.details->>'encrypted' = 'true' THEN 'AES-256-GCM で暗号化' ELSE '暗号化なし' END || '）'
         ELSE '書き出し（' || COALESCE(e.details->>'action', '') || '・' || COALESCE(e.details->>'format', '') || '）' END,
    COALESCE(a.login_id, e.actor_kind || ':' || COALESCE(e.actor_id, '')),
    CASE WHEN e.type = 'admin.read' THEN COALESCE(e.details->>'residents', '') || ' 人分' WHEN e.type = 'backup.written' THEN '連携基盤のデータベース全体' ELSE COALESCE(e.details->>'rows', '') END,
    CASE WHEN e.type = 'admin.read' THEN '目的: ' || COALESCE(e.details->>'purpose', '')
         WHEN e.type = 'backup.written' THEN '書き出し先: ' || COALESCE(e.details->>'dir', '') || '（' || COALESCE(e.subject, '') || '）'
         ELSE '書き出し先: 管理者の端末（ダウンロード）' END,
    'audit:' || e.seq
  FROM audit_events e LEFT JOIN admin_accounts a ON a.id::text = e.actor_id AND e.actor_kind = 'admin'
  WHERE (e.type IN ('admin.read', 'admin.audit_export', 'admin.export') AND ($1::uuid IS NULL OR e.tenant_id = $1::text))
     OR (e.type = 'backup.written' AND $1::uuid IS NULL)
  UNION ALL
  SELECT 'storage', u.updated_at, '保管（' || u.title_ja || '）', u.controller_name_ja, array_to_string(u.items, '、'),
    '保管場所: 利用するサービス（' || s.name_ja || '）・保存期間: ' || u.retention_days || '日（状態: ' || u.status || '）', u.id::text
  FROM data_uses u JOIN services s ON s.id = u.service_id
  WHERE ($1::uuid IS NULL OR u.tenant_id = $1)
  UNION ALL
  SELECT 'disposal', c.created_at, '監査ログの保存期間経過による削除（書き出しと署名の後）', 'prune-audit（日次ジョブ）', '監査ログ（連番 ' || c.seq || ' まで）',
    '署名付きチェックポイント ' || c.kid, 'checkpoint:' || c.id
  FROM audit_checkpoints c WHERE c.kind = 'cut' AND $1::uuid IS NULL
  UNION ALL
  SELECT 'disposal', d.acked_at, CASE dep.reason WHEN 'deceased' THEN '死亡の届出による消去' ELSE '退会に伴う消去' END || '（' || s.name_ja || '）',
    k.name || '（コネクタの署名付き完了通知）', array_to_string(e.items, '、'), '消去証明書 ' || dep.certificate_id::text, 'erasure:' || e.seq
  FROM erasure_request_outbox e JOIN departures dep ON dep.id = e.departure_id JOIN connectors k ON k.id = e.connector_id JOIN services s ON s.id = k.service_id
  JOIN revocation_deliveries d ON d.outbox_seq = e.seq AND d.connector_id = e.connector_id AND d.kind = 'erasure' AND d.acked_at IS NOT NULL
  WHERE dep.certified_at IS NOT NULL AND ($1::uuid IS NULL OR e.tenant_id = $1)
  UNION ALL
  SELECT 'disposal', dep.committed_at, CASE dep.reason WHEN 'deceased' THEN '死亡の届出による消去' ELSE '退会に伴う消去' END || '（Tsunagu ハブ）', 'Tsunagu ハブ（退会の処理）',
    '認証情報、ログインID、氏名、共通ID、サービスとの紐づけ、本人確認の記録、セッション', '消去証明書 ' || dep.certificate_id::text, 'departure:' || dep.id
  FROM departures dep WHERE dep.certified_at IS NOT NULL AND $1::uuid IS NULL`;

/** SQL of the handling ledger: one query over the sources, scoped by tenant, filtered by kind and period. */
@Injectable()
export class HandlingLedgerRepository {
  constructor(private readonly db: DataSource) {}

  search(f: HandlingFilter, limit: number): Promise<HandlingEntryRow[]> {
    return this.db.query(`SELECT * FROM (${LEDGER}) l
      WHERE ($2::text IS NULL OR l.kind = $2) AND ($3::timestamptz IS NULL OR l.at >= $3) AND ($4::timestamptz IS NULL OR l.at < $4)
      ORDER BY l.at DESC, l.ref LIMIT $5`, [f.tenantId, f.kind ?? null, f.from ?? null, f.to ?? null, limit]);
  }
}
