// Two live sources may not be one vCenter (DESIGN §8b): creating or editing a source whose endpoint (in its
// normalized spelling) or recorded instance UUID is another live source's is refused with 409 naming it.
import { sql } from 'drizzle-orm';
import type { Tx } from '@/db/client';
import { AppError } from '@/lib/errors';
import { normalizeEndpoint } from './normalize-endpoint';

export interface DuplicateOf {
  id: string;
  name: string;
}

/** The error a duplicate source gets, from the API (409) and as a run's failure code. */
export const SOURCE_DUPLICATE = 'SOURCE_DUPLICATE';

export function sourceDuplicateError(
  duplicateOf: DuplicateOf,
  reason: 'endpoint' | 'instance_uuid',
  value: string,
): AppError {
  const what =
    reason === 'endpoint' ? `its endpoint ${value}` : `the vCenter instance UUID ${value} it reported`;
  return new AppError(
    SOURCE_DUPLICATE,
    `this vCenter is already the source "${duplicateOf.name}" (${what}); edit or delete that source instead of adding it twice`,
    {
      status: 409,
      details: { field: 'body.config.endpoint', reason, value, duplicateOf },
    },
  );
}

/**
 * Refuses (409 SOURCE_DUPLICATE) an endpoint or instance UUID that another live source has. Sources are few
 * (tens), so their endpoints are normalized here rather than kept in a column a migration would have to
 * backfill; an advisory lock serializes concurrent saves so two of them cannot both pass the check.
 */
export async function assertSourceUnique(
  tx: Tx,
  input: { id?: string; endpoint: string; instanceUuid?: string | null },
): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('asset-ledger:source-identity'))`);
  const others = await tx.execute<{
    id: string;
    name: string;
    endpoint: unknown;
    instance_uuid: string | null;
  }>(
    sql`select id, name, config->'endpoint' as endpoint, instance_uuid from sources
        where deleted_at is null and id is distinct from ${input.id ?? null}::uuid`,
  );
  const endpoint = normalizeEndpoint(input.endpoint);
  const instance = input.instanceUuid?.toLowerCase() ?? null;
  for (const o of others.rows) {
    if (typeof o.endpoint === 'string' && normalizeEndpoint(o.endpoint) === endpoint)
      throw sourceDuplicateError({ id: o.id, name: o.name }, 'endpoint', endpoint);
    if (instance && o.instance_uuid === instance)
      throw sourceDuplicateError({ id: o.id, name: o.name }, 'instance_uuid', instance);
  }
}
