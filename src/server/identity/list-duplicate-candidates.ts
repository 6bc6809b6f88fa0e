// Reading duplicate candidates: the list (filters kind, minimum score, status) and one pair side by side.
import { sql } from 'drizzle-orm';
import type { Db } from '@/db/client';
import { AppError } from '@/lib/errors';
import { getAsset } from '@/server/assets/service';

const assetSummary = (col: string) =>
  sql.raw(`(select jsonb_build_object('uuid', a.uuid, 'name', a.name, 'status', a.status,
     'sources', coalesce((select jsonb_agg(jsonb_build_object('id', s.id, 'name', s.name, 'presence', l.presence)
                                   order by s.name) from asset_source_links l join sources s on s.id = l.source_id
                          where l.asset_uuid = a.uuid), '[]'::jsonb))
   from assets a where a.uuid = c.${col})`);

const COLUMNS = sql`c.id, c.kind, c.score, c.evidence, c.status, c.created_at as "createdAt",
  c.updated_at as "updatedAt", c.resolved_at as "resolvedAt", ${assetSummary('asset_a')} as "assetA",
  ${assetSummary('asset_b')} as "assetB"`;

export type CandidateRow = {
  id: string;
  kind: string;
  score: number;
  status: string;
  assetA: { uuid: string };
  assetB: { uuid: string };
};

export async function listDuplicateCandidates(
  db: Db,
  f: { kind?: string; minScore?: number; status: string; limit: number; offset: number },
) {
  const where = sql.join(
    [
      sql`c.status = ${f.status}`,
      ...(f.kind ? [sql`c.kind = ${f.kind}`] : []),
      ...(f.minScore !== undefined ? [sql`c.score >= ${f.minScore}`] : []),
    ],
    sql` and `,
  );
  const [items, total] = await Promise.all([
    db.execute<CandidateRow>(
      sql`select ${COLUMNS} from duplicate_candidates c where ${where}
          order by c.score desc, c.updated_at desc, c.id limit ${f.limit} offset ${f.offset}`,
    ),
    db.execute<{ n: number }>(sql`select count(*)::int as n from duplicate_candidates c where ${where}`),
  ]);
  return { items: items.rows, total: total.rows[0]!.n, limit: f.limit, offset: f.offset };
}

export async function getDuplicateCandidate(db: Db, id: string) {
  const r = await db.execute<CandidateRow>(
    sql`select ${COLUMNS} from duplicate_candidates c where c.id = ${id}`,
  );
  const row = r.rows[0];
  if (!row) throw new AppError('NOT_FOUND', 'duplicate candidate not found');
  const assets = await Promise.all([getAsset(db, row.assetA.uuid), getAsset(db, row.assetB.uuid)]);
  return { ...row, assets };
}
