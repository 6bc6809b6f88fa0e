// At run time (DESIGN §8b): every detect, healthcheck and collect run reports the vCenter's
// about.instanceUuid. The first source to report one owns it (recorded on the source); a run of another live
// source that reaches the same vCenter — under a spelling no endpoint normalization catches, e.g. localhost
// for 127.0.0.1, or a DNS alias — is the same vCenter twice and fails SOURCE_DUPLICATE, ingesting nothing.
import type { DuplicateOf } from './assert-source-unique';

interface Queryable {
  query<R extends Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

/**
 * In the run's transaction: records `instanceUuid` on the source, or returns the other live source that has
 * it (and records nothing). The advisory lock makes two sources' concurrent runs of one vCenter take turns,
 * so the second sees the first's claim; the unique index on sources.instance_uuid backs it.
 */
export async function claimSourceInstance(
  client: Queryable,
  sourceId: string,
  instanceUuid: string,
): Promise<DuplicateOf | null> {
  const uuid = instanceUuid.trim().toLowerCase();
  await client.query(`select pg_advisory_xact_lock(hashtext('asset-ledger:vcenter-instance:' || $1))`, [
    uuid,
  ]);
  const r = await client.query<{ id: string; name: string }>(
    `with other as (
       select id, name from sources where instance_uuid = $2 and deleted_at is null and id <> $1 limit 1
     ), claim as (
       update sources set instance_uuid = $2, instance_uuid_seen_at = now()
       where id = $1 and not exists (select 1 from other)
     ) select id, name from other`,
    [sourceId, uuid],
  );
  return r.rows[0] ?? null;
}

/** The run failure of a duplicate: not retryable (running it again cannot help), naming the other source. */
export function sourceDuplicateFailure(duplicateOf: DuplicateOf, instanceUuid: string) {
  const message =
    `this vCenter (instance UUID ${instanceUuid}) is already the source "${duplicateOf.name}"; ` +
    'nothing was ingested. Delete this source, or point it at another vCenter';
  return {
    ok: false as const,
    code: 'SOURCE_DUPLICATE' as const,
    message,
    retryable: false,
    errors: [
      {
        code: 'SOURCE_DUPLICATE',
        category: 'config',
        message,
        retryable: false,
        context: {
          duplicate_of_source_id: duplicateOf.id,
          duplicate_of_source_name: duplicateOf.name,
          instance_uuid: instanceUuid,
        },
      },
    ],
  };
}
