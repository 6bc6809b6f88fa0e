// The audit log as CSV, as filtered on the audit page (GET /api/v1/exports/audit-events.csv): streamed from
// a server-side cursor, one batch of names looked up per 1,000 rows, headers and values in the reader's
// language (actions, outcomes and details in words, as on the page), with the raw action code and ids
// beside them for tools.
import { PgDialect } from 'drizzle-orm/pg-core';
import type { Db } from '@/db/client';
import { createTranslator, translateOr, type Locale } from '@/i18n';
import { getAuditTargets } from '../audit/audit-targets';
import { auditActionText, auditDetailRows, auditDetailText, detailRefs } from '../audit/describe';
import { auditEventsQuery, type AuditFilters } from '../audit/events';
import { csvCell } from './assets-csv';
import { cursorCsvStream } from './cursor-csv';

const dialect = new PgDialect();

type Row = {
  ts: Date;
  actorLabel: string | null;
  action: string;
  outcome: string;
  targetType: string | null;
  targetId: string | null;
  requestId: string | null;
  ip: string | null;
  details: Record<string, unknown> | null;
};

export function streamAuditEventsCsv(db: Db, f: AuditFilters, locale: Locale): ReadableStream<Uint8Array> {
  const t = createTranslator(locale);
  const header = [
    t('audit.time'),
    t('audit.actor'),
    t('audit.action'),
    t('audit.actionCode'),
    t('audit.outcome'),
    t('audit.targetType'),
    t('audit.target'),
    t('audit.targetId'),
    t('audit.ip'),
    t('audit.requestId'),
    t('common.details'),
  ]
    .map(csvCell)
    .join(',');
  const query = dialect.sqlToQuery(auditEventsQuery(f));
  const lines = async (rows: Row[]) => {
    const names = await getAuditTargets(db, [...rows, ...rows.flatMap((r) => detailRefs(r.details))]);
    const nameOf = (type: string, id: string) => names[`${type}:${id}`]?.name ?? undefined;
    return rows
      .map(
        (r) =>
          [
            r.ts.toISOString(),
            r.actorLabel,
            auditActionText(t, r.action),
            r.action,
            translateOr(t, `audit.outcomes.${r.outcome}`, r.outcome),
            r.targetType ? translateOr(t, `auditNoun.${r.targetType}`, r.targetType) : null,
            r.targetType && r.targetId ? nameOf(r.targetType, r.targetId) : null,
            r.targetId,
            r.ip,
            r.requestId,
            auditDetailText(auditDetailRows(t, r.details, nameOf)),
          ]
            .map(csvCell)
            .join(',') + '\r\n',
      )
      .join('');
  };
  return cursorCsvStream<Row>(db, { cursor: 'audit_export', query, header, lines });
}
