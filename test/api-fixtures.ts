// Shared by the API suites: every route handler keyed by "METHOD /path", the OpenAPI document, users with
// API tokens per role, seeded rows (credential, source, group, assets with records and relations), and a
// valid sample request per operation (fresh objects for destructive ones).
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { getDb } from '@/db/client';
import { apiTokens } from '@/db/schema';
import { routeModules } from '@/app/api/v1/routes';
import { generateApiToken } from '@/server/auth/session';
import { mergeCanonical } from '@/ingest/canonical';
import { buildOpenApiDocument } from '@/server/http/openapi';
import type { RouteHandler } from '@/server/http/route';
import { createUser } from './api';

export type Role = 'anonymous' | 'user' | 'editor' | 'admin';

export function handlersByOperation(): Map<string, RouteHandler> {
  const out = new Map<string, RouteHandler>();
  for (const mod of Object.values(routeModules)) {
    for (const exp of Object.values(mod)) {
      const h = exp as RouteHandler;
      if (typeof h === 'function' && h.operation)
        out.set(`${h.operation.method.toUpperCase()} ${h.operation.path}`, h);
    }
  }
  return out;
}

export interface OpenApiOperation {
  key: string;
  method: string;
  path: string;
  role: string;
  op: Record<string, unknown>;
}

export function openApiOperations(): {
  doc: ReturnType<typeof buildOpenApiDocument>;
  ops: OpenApiOperation[];
} {
  void routeModules;
  const doc = buildOpenApiDocument({ version: 'test' });
  const ops: OpenApiOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item as Record<string, Record<string, unknown>>)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      ops.push({
        key: `${method.toUpperCase()} ${path}`,
        method,
        path,
        role: String(op['x-required-role']),
        op,
      });
    }
  }
  return { doc, ops };
}

export interface Actors {
  tokens: Record<Exclude<Role, 'anonymous'>, string>;
  userIds: Record<Exclude<Role, 'anonymous'>, string>;
  passwords: Record<Exclude<Role, 'anonymous'>, string>;
}

export async function createActors(): Promise<Actors> {
  const db = getDb();
  const passwords = {
    admin: `admin-pw-${randomUUID()}`,
    editor: `editor-pw-${randomUUID()}`,
    user: `user-pw-${randomUUID()}`,
  };
  const admin = await createUser({ username: 'matrix-admin', password: passwords.admin, role: 'admin' });
  const editor = await createUser({ username: 'matrix-editor', password: passwords.editor, role: 'editor' });
  const user = await createUser({ username: 'matrix-user', password: passwords.user, role: 'user' });
  const tokens = {} as Actors['tokens'];
  for (const [role, u] of [
    ['admin', admin],
    ['editor', editor],
    ['user', user],
  ] as const) {
    const t = generateApiToken();
    await db
      .insert(apiTokens)
      .values({ userId: u.id, name: `${role} test token`, prefix: t.prefix, tokenHash: t.tokenHash });
    tokens[role] = t.token;
  }
  return { tokens, userIds: { admin: admin.id, editor: editor.id, user: user.id }, passwords };
}

// ---------------------------------------------------------------- seeded rows
export interface SeedAsset {
  uuid?: string;
  kind: 'host' | 'cluster' | 'vm';
  name: string;
  hostname?: string | null;
  serial?: string | null;
  ips?: string[];
  macs?: string[];
  powerState?: string | null;
  cluster?: string | null;
  host?: string | null;
  status?: 'active' | 'offline';
  raw?: unknown;
}

let seq = 0;
export async function insertCredential(
  name = `cred-${++seq}-${randomUUID().slice(0, 8)}`,
  password = 'seed-secret-pw',
) {
  const { createCredential } = await import('@/server/credentials/store');
  return (
    await createCredential(getDb(), {
      name,
      type: 'vcenter',
      publicData: { username: 'svc' },
      secret: { password },
    })
  ).id;
}

export async function insertSource(
  opts: { credentialId?: string | null; groupId?: string | null; name?: string } = {},
) {
  const r = await getDb().execute<{ id: string }>(sql`
    insert into sources (name, type, config, credential_id, schedule_group_id)
    values (${opts.name ?? `src-${++seq}-${randomUUID().slice(0, 8)}`}, 'vcenter',
            ${JSON.stringify({ endpoint: 'https://vc.example.test' })}::jsonb, ${opts.credentialId ?? null},
            ${opts.groupId ?? null})
    returning id`);
  return r.rows[0]!.id;
}

export async function insertGroup(name = `grp-${++seq}-${randomUUID().slice(0, 8)}`) {
  const r = await getDb().execute<{ id: string }>(
    sql`insert into schedule_groups (name, timezone, time_of_day) values (${name}, 'Europe/Berlin', '03:30') returning id`,
  );
  return r.rows[0]!.id;
}

export async function insertRun(sourceId: string, status = 'succeeded', mode = 'collect_vms') {
  const r = await getDb().execute<{ id: string }>(sql`
    insert into runs (source_id, mode, status, trigger) values (${sourceId}, ${mode}, ${status}, 'manual') returning id`);
  return r.rows[0]!.id;
}

/** Inserts assets with a link, one source record (raw gzip) and a 'created' event each; returns uuids. */
export async function insertAssets(sourceId: string, runId: string, assets: SeedAsset[]) {
  const db = getDb();
  const out: { uuid: string; recordId: string; linkId: string }[] = [];
  for (const a of assets) {
    const uuid = a.uuid ?? randomUUID();
    // The shape ingest writes: two sources that disagree on the serial number (a conflict).
    const now = new Date().toISOString();
    const canonical = mergeCanonical([
      {
        sourceId,
        runId,
        collectedAt: now,
        normalized: { identity: { caption: a.name, serial_number: 'A' } },
      },
      {
        sourceId: randomUUID(),
        runId: randomUUID(),
        collectedAt: new Date(Date.now() - 60_000).toISOString(),
        normalized: { identity: { caption: a.name, serial_number: 'B' } },
      },
    ]);
    await db.execute(sql`
      insert into assets (uuid, kind, status, canonical, name, hostname, serial_number, ip_addresses, mac_addresses,
                          power_state, cluster_name, host_name, last_seen_at)
      values (${uuid}, ${a.kind}, ${a.status ?? 'active'}, ${JSON.stringify(canonical)}::jsonb, ${a.name},
              ${a.hostname ?? null}, ${a.serial ?? null}, ${`{${(a.ips ?? []).join(',')}}`}::text[],
              ${`{${(a.macs ?? []).join(',')}}`}::text[], ${a.powerState ?? null}, ${a.cluster ?? null},
              ${a.host ?? null}, now())`);
    const link = await db.execute<{ id: string }>(sql`
      insert into asset_source_links (asset_uuid, source_id, external_kind, external_id, last_seen_run_id)
      values (${uuid}, ${sourceId}, ${a.kind}, ${`moref-${++seq}`}, ${runId}) returning id`);
    // Written the way records were before migration 0005 (gzip in raw_gzip), so the raw view's fallback for
    // old records stays covered; api-resources.test.ts adds one in today's format (JSON text in raw).
    const raw = a.raw ?? { name: a.name, config: { guest: { password: 'raw-secret-should-not-show' } } };
    const rec = await db.execute<{ id: string }>(sql`
      insert into source_records (link_id, asset_uuid, source_id, run_id, collected_at, normalized, raw_gzip, hash,
                                  last_seen_run_id, last_seen_at)
      values (${link.rows[0]!.id}, ${uuid}, ${sourceId}, ${runId}, now(), ${JSON.stringify({ caption: a.name })}::jsonb,
              ${gzipSync(Buffer.from(JSON.stringify(raw)))}, ${`hash-${seq}`}, ${runId}, now())
      returning id::text as id`);
    await db.execute(sql`
      insert into asset_events (asset_uuid, run_id, source_id, type, details)
      values (${uuid}, ${runId}, ${sourceId}, 'created', ${JSON.stringify({ name: a.name })}::jsonb)`);
    out.push({ uuid, recordId: rec.rows[0]!.id, linkId: link.rows[0]!.id });
  }
  return out;
}

export async function insertRelation(
  sourceId: string,
  type: 'runs_on' | 'hosts_vm' | 'member_of',
  from: string,
  to: string,
  status: 'active' | 'inactive' = 'active',
) {
  await getDb().execute(sql`
    insert into relations (type, from_asset_uuid, to_asset_uuid, source_id, status, inactive_since)
    values (${type}, ${from}, ${to}, ${sourceId}, ${status}, ${status === 'inactive' ? sql`now()` : null})`);
}

export interface World {
  actors: Actors;
  credentialId: string;
  sourceId: string;
  groupId: string;
  runId: string;
  hostUuid: string;
  vmUuid: string;
  vmRecordId: string;
}

export async function seedWorld(): Promise<World> {
  const actors = await createActors();
  const credentialId = await insertCredential('world-cred');
  const groupId = await insertGroup('world-group');
  const sourceId = await insertSource({ credentialId, groupId, name: 'world-source' });
  const runId = await insertRun(sourceId);
  const [host, vm] = await insertAssets(sourceId, runId, [
    { kind: 'host', name: 'esx01.example.test', serial: 'SRV-001', ips: ['10.0.0.1'], cluster: 'prod' },
    {
      kind: 'vm',
      name: 'web-01',
      hostname: 'web-01.example.test',
      ips: ['10.1.0.1'],
      macs: ['00:50:56:aa:bb:01'],
      host: 'esx01.example.test',
    },
  ]);
  await insertRelation(sourceId, 'runs_on', vm!.uuid, host!.uuid);
  return {
    actors,
    credentialId,
    sourceId,
    groupId,
    runId,
    hostUuid: host!.uuid,
    vmUuid: vm!.uuid,
    vmRecordId: vm!.recordId,
  };
}

// ---------------------------------------------------------------- a valid request per operation
export interface Sample {
  params?: Record<string, string>;
  query?: string;
  body?: unknown;
  /** A non-JSON body (a CSV upload) and its headers. */
  rawBody?: string;
  headers?: Record<string, string>;
  /**
   * How a signed-in caller authenticates for this operation, when the role's usual API token will not do
   * (see authFor): a fresh token of its own (the call revokes it), or a browser session cookie (tokens
   * may not call it).
   */
  auth?: { token: string } | { cookie: string };
}

/** The call's credentials: the sample's own, else the role's API token. */
export function authFor(w: World, role: Role, sample: Sample): { token?: string; cookie?: string } {
  if (role === 'anonymous') return {};
  return sample.auth ?? { token: w.actors.tokens[role] };
}

/** A signed-in user of this role with a token of its own, for calls that revoke their caller's tokens. */
async function throwawayActor(role: Exclude<Role, 'anonymous'>) {
  const password = `throwaway-${randomUUID()}`;
  const u = await createUser({ username: `throwaway-${randomUUID().slice(0, 8)}`, password, role });
  const t = generateApiToken();
  await getDb()
    .insert(apiTokens)
    .values({ userId: u.id, name: 'throwaway', prefix: t.prefix, tokenHash: t.tokenHash });
  return { password, token: t.token };
}

/** A browser session of the role's test user (as if signed in through the login page). */
async function sessionCookieOf(w: World, role: Exclude<Role, 'anonymous'>): Promise<string> {
  const { createSession } = await import('@/server/auth/session');
  const s = await createSession(getDb(), w.actors.userIds[role], { secure: false });
  return s.cookie.split(';')[0]!;
}

type SampleFn = (w: World, role: Role) => Promise<Sample> | Sample;

/**
 * The designed access rule and a valid request of every operation. A route missing here fails the matrix:
 * whoever adds a route decides who may call it.
 */
type AccessRule = 'public' | 'user' | 'editor' | 'admin';
export const OPERATIONS: Record<string, { role: AccessRule; sample: SampleFn }> = {
  'GET /api/v1/health': { role: 'public', sample: () => ({}) },
  'POST /api/v1/auth/login': {
    role: 'public',
    sample: (w, role) =>
      role === 'user'
        ? { body: { username: 'matrix-user', password: w.actors.passwords.user } }
        : { body: { username: 'matrix-admin', password: w.actors.passwords.admin } },
  },
  'POST /api/v1/auth/logout': { role: 'user', sample: () => ({}) },
  'GET /api/v1/auth/me': { role: 'user', sample: () => ({}) },
  'GET /api/v1/auth/me/preferences': { role: 'user', sample: () => ({}) },
  'PUT /api/v1/auth/me/preferences': {
    role: 'user',
    sample: () => ({ body: { assetColumns: ['name', 'memoryBytes'] } }),
  },
  'POST /api/v1/auth/password': {
    role: 'user',
    // A password change revokes the caller's tokens: a throwaway user's, not the matrix's.
    sample: async (_w, role) => {
      if (role === 'anonymous')
        return { body: { currentPassword: 'x-password-1', newPassword: 'y-password-1' } };
      const a = await throwawayActor(role);
      return {
        body: { currentPassword: a.password, newPassword: `${a.password}-changed` },
        auth: { token: a.token },
      };
    },
  },
  'GET /api/v1/users': { role: 'admin', sample: () => ({ query: 'limit=10' }) },
  'POST /api/v1/users': {
    role: 'admin',
    sample: () => ({
      body: { username: `u-${randomUUID().slice(0, 8)}`, role: 'user', password: 'a-long-password' },
    }),
  },
  'GET /api/v1/users/{id}': { role: 'admin', sample: (w) => ({ params: { id: w.actors.userIds.user } }) },
  'PATCH /api/v1/users/{id}': {
    role: 'admin',
    sample: (w) => ({ params: { id: w.actors.userIds.user }, body: { displayName: 'Matrix User' } }),
  },
  'POST /api/v1/users/{id}/password': {
    role: 'admin',
    sample: async () => {
      const u = await createUser({ username: `reset-${randomUUID().slice(0, 8)}`, password: 'x-password-1' });
      return { params: { id: u.id }, body: {} };
    },
  },
  'GET /api/v1/tokens': { role: 'user', sample: () => ({}) },
  'POST /api/v1/tokens': {
    role: 'user',
    // Only a signed-in session may create tokens (a token may not).
    sample: async (w, role) => ({
      body: { name: 'script', expiresInDays: 30 },
      ...(role === 'anonymous' ? {} : { auth: { cookie: await sessionCookieOf(w, role) } }),
    }),
  },
  'DELETE /api/v1/tokens/{id}': {
    role: 'user',
    sample: async (w, role) => {
      const owner = role === 'anonymous' ? w.actors.userIds.user : w.actors.userIds[role];
      const t = generateApiToken();
      const [row] = await getDb()
        .insert(apiTokens)
        .values({ userId: owner, name: 'to revoke', prefix: t.prefix, tokenHash: t.tokenHash })
        .returning();
      return { params: { id: row!.id } };
    },
  },
  'GET /api/v1/audit-events': { role: 'admin', sample: () => ({ query: 'action=auth.&limit=5' }) },
  'GET /api/v1/credentials': { role: 'admin', sample: () => ({}) },
  'POST /api/v1/credentials': {
    role: 'admin',
    sample: () => ({
      body: {
        name: `c-${randomUUID().slice(0, 8)}`,
        type: 'vcenter',
        data: { username: 'u', password: 'matrix-secret-pw' },
      },
    }),
  },
  'GET /api/v1/credentials/{id}': { role: 'admin', sample: (w) => ({ params: { id: w.credentialId } }) },
  'PATCH /api/v1/credentials/{id}': {
    role: 'admin',
    sample: (w) => ({ params: { id: w.credentialId }, body: { data: { username: 'svc2' } } }),
  },
  'DELETE /api/v1/credentials/{id}': {
    role: 'admin',
    sample: async () => ({ params: { id: await insertCredential() } }),
  },
  'GET /api/v1/sources': { role: 'admin', sample: () => ({}) },
  'POST /api/v1/sources': {
    role: 'admin',
    sample: (w) => ({
      body: {
        name: `s-${randomUUID().slice(0, 8)}`,
        type: 'vcenter',
        // Each sample another vCenter: one endpoint is one source (SOURCE_DUPLICATE).
        config: { endpoint: `https://vc-${randomUUID().slice(0, 8)}.example.test`, insecure: false },
        credentialId: w.credentialId,
      },
    }),
  },
  'POST /api/v1/sources/test-connection': {
    role: 'admin',
    // No credential: answered without starting the plugin (test/api-test-connection.test.ts runs it).
    sample: () => ({
      body: { type: 'vcenter', config: { endpoint: 'https://vc.example.test', insecure: true } },
    }),
  },
  'GET /api/v1/exports/audit-events.csv': {
    role: 'admin',
    sample: () => ({ query: 'action=source.&lang=zh-CN' }),
  },
  'GET /api/v1/sources/{id}': { role: 'admin', sample: (w) => ({ params: { id: w.sourceId } }) },
  'PATCH /api/v1/sources/{id}': {
    role: 'admin',
    sample: (w) => ({ params: { id: w.sourceId }, body: { enabled: true } }),
  },
  'DELETE /api/v1/sources/{id}': {
    role: 'admin',
    sample: async () => ({ params: { id: await insertSource() } }),
  },
  'GET /api/v1/schedule-groups': { role: 'admin', sample: () => ({}) },
  'POST /api/v1/schedule-groups': {
    role: 'admin',
    sample: () => ({
      body: { name: `g-${randomUUID().slice(0, 8)}`, timezone: 'Asia/Tokyo', timeOfDay: '01:15' },
    }),
  },
  'GET /api/v1/schedule-groups/{id}': { role: 'admin', sample: (w) => ({ params: { id: w.groupId } }) },
  'PATCH /api/v1/schedule-groups/{id}': {
    role: 'admin',
    sample: (w) => ({ params: { id: w.groupId }, body: { enabled: true, sourceIds: [w.sourceId] } }),
  },
  'DELETE /api/v1/schedule-groups/{id}': {
    role: 'admin',
    sample: async () => ({ params: { id: await insertGroup() } }),
  },
  'GET /api/v1/assets': { role: 'user', sample: () => ({ query: 'q=web&kind=vm&sort=-name&limit=10' }) },
  'GET /api/v1/assets/{id}': { role: 'user', sample: (w) => ({ params: { id: w.vmUuid } }) },
  'GET /api/v1/assets/{id}/relations': { role: 'user', sample: (w) => ({ params: { id: w.vmUuid } }) },
  'GET /api/v1/assets/{id}/history': { role: 'user', sample: (w) => ({ params: { id: w.vmUuid } }) },
  'GET /api/v1/assets/{id}/records': { role: 'user', sample: (w) => ({ params: { id: w.vmUuid } }) },
  'GET /api/v1/assets/{id}/records/{recordId}/raw': {
    role: 'admin',
    sample: (w) => ({ params: { id: w.vmUuid, recordId: w.vmRecordId } }),
  },
  'GET /api/v1/exports/assets': { role: 'user', sample: () => ({ query: 'kind=vm' }) },
  'GET /api/v1/exports/assets.xlsx': { role: 'user', sample: () => ({ query: 'kind=vm' }) },
  // The run pipeline's routes (issue 4): admins trigger, users read runs.
  'POST /api/v1/sources/{id}/runs': {
    role: 'admin',
    sample: (w) => ({ params: { id: w.sourceId }, body: { mode: 'healthcheck' } }),
  },
  'POST /api/v1/schedule-groups/{id}/runs': { role: 'admin', sample: (w) => ({ params: { id: w.groupId } }) },
  'GET /api/v1/runs': { role: 'user', sample: () => ({}) },
  'GET /api/v1/runs/{id}': { role: 'user', sample: (w) => ({ params: { id: w.runId } }) },
  // Run cancel (issue 15 item 5): a fresh queued run each call (one active run per source and mode).
  'POST /api/v1/runs/{id}/cancel': {
    role: 'admin',
    sample: async (w) => {
      await getDb().execute(
        sql`update runs set status = 'cancelled' where source_id = ${w.sourceId} and status = 'queued'`,
      );
      return { params: { id: await insertRun(w.sourceId, 'queued', 'detect') } };
    },
  },
  // Ledger (issue 13): everyone reads, editors write values, admins define fields.
  'GET /api/v1/ledger-fields': { role: 'user', sample: () => ({}) },
  'POST /api/v1/ledger-fields': {
    role: 'admin',
    sample: () => ({
      body: {
        key: `f_${randomUUID().slice(0, 8)}`,
        label: { en: 'Contract', zhCN: '合同' },
        type: 'enum',
        options: ['a', 'b'],
        kinds: ['vm'],
      },
    }),
  },
  'GET /api/v1/ledger-fields/{key}': { role: 'user', sample: () => ({ params: { key: 'owner' } }) },
  'PATCH /api/v1/ledger-fields/{key}': {
    role: 'admin',
    sample: () => ({ params: { key: 'owner' }, body: { label: { en: 'Owner' } } }),
  },
  'DELETE /api/v1/ledger-fields/{key}': {
    role: 'admin',
    sample: async () => {
      const key = `d_${randomUUID().slice(0, 8)}`;
      await getDb().execute(
        sql`insert into ledger_fields (key, label_en, label_zh, type) values (${key}, 'Temp', '临时', 'text')`,
      );
      return { params: { key } };
    },
  },
  'GET /api/v1/assets/{id}/ledger': { role: 'user', sample: (w) => ({ params: { id: w.vmUuid } }) },
  'PATCH /api/v1/assets/{id}/ledger': {
    role: 'editor',
    sample: async (w) => {
      const r = await getDb().execute<{ version: number }>(
        sql`select version from asset_ledger where asset_uuid = ${w.vmUuid}`,
      );
      return {
        params: { id: w.vmUuid },
        body: { version: r.rows[0]?.version ?? 0, values: { owner: `owner-${randomUUID().slice(0, 6)}` } },
      };
    },
  },
  'POST /api/v1/imports/ledger': {
    role: 'editor',
    sample: (w) => ({
      query: 'mode=dry-run',
      rawBody: `uuid,owner\r\n${w.vmUuid},Import Owner\r\n`,
      headers: { 'content-type': 'text/csv' },
    }),
  },
  'GET /api/v1/imports/ledger': { role: 'editor', sample: () => ({}) },
  'GET /api/v1/imports/ledger/{id}/report': {
    role: 'editor',
    sample: async () => {
      const r = await getDb().execute<{ id: string }>(sql`
        insert into ledger_imports (encoding, delimiter, report) values ('utf-8', ',', 'row,outcome\r\n') returning id`);
      return { params: { id: r.rows[0]!.id } };
    },
  },
  'POST /api/v1/assets/ledger/bulk': {
    role: 'editor',
    sample: (w) => ({ body: { ids: [w.vmUuid, w.hostUuid], set: { notes: `bulk ${randomUUID()}` } } }),
  },
  // identity across sources (issue 16)
  'GET /api/v1/duplicate-candidates': { role: 'user', sample: () => ({}) },
  'GET /api/v1/duplicate-candidates/{id}': {
    role: 'user',
    sample: async (w) => ({ params: { id: await insertCandidate(w) } }),
  },
  'POST /api/v1/duplicate-candidates/{id}/ignore': {
    role: 'editor',
    sample: async (w) => ({ params: { id: await insertCandidate(w) } }),
  },
  'POST /api/v1/assets/{id}/merge': {
    role: 'editor',
    sample: async (w) => {
      const [a, b] = await twoVms(w);
      return { params: { id: a.uuid }, body: { otherId: b.uuid } };
    },
  },
  'POST /api/v1/assets/{id}/split': {
    role: 'editor',
    sample: async (w) => {
      const [a, b] = await twoVms(w);
      const { mergeAssets } = await import('@/server/identity/merge-assets');
      const { systemActor } = await import('@/server/users/actor');
      await mergeAssets(getDb(), systemActor('matrix'), a.uuid, b.uuid);
      return { params: { id: a.uuid }, body: { linkId: b.linkId } };
    },
  },
};

/** Fills `{name}` segments of an OpenAPI path. */
export function fillPath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/\{(\w+)\}/g, (_, n: string) => encodeURIComponent(params[n] ?? `missing-${n}`));
}

/** Two VMs of the world's source that share a BIOS UUID (a merge or a candidate needs a pair). */
async function twoVms(w: World) {
  const n = ++seq;
  return insertAssets(w.sourceId, w.runId, [
    { kind: 'vm', name: `twin-${n}-a` },
    { kind: 'vm', name: `twin-${n}-b` },
  ]);
}

async function insertCandidate(w: World): Promise<string> {
  const [a, b] = (await twoVms(w)).map((x) => x.uuid).sort();
  const r = await getDb().execute<{ id: string }>(sql`
    insert into duplicate_candidates (kind, asset_a, asset_b, score, evidence)
    values ('vm', ${a!}, ${b!}, 100, ${JSON.stringify([{ rule: 'vm.bios_uuid', score: 100, values: ['x'] }])}::jsonb)
    returning id`);
  return r.rows[0]!.id;
}
