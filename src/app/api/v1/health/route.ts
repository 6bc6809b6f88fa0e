import { sql } from 'drizzle-orm';
import { json, route, z, otherMethods } from '@/server/http';
import { APP_VERSION } from '@/server/http/version';

const healthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    version: z.string(),
    database: z.object({
      reachable: z.boolean(),
      latencyMs: z.number().nullable(),
      error: z.string().optional(),
    }),
  })
  .openapi('Health');

export const GET = route(
  {
    method: 'get',
    path: '/api/v1/health',
    summary: 'Liveness and database reachability',
    description: 'No authentication. 200 when the database answers, 503 (same body) when it does not.',
    tags: ['system'],
    auth: 'public',
    responses: { 200: healthSchema, 503: { description: 'Database unreachable', schema: healthSchema } },
  },
  async ({ db }) => {
    const started = performance.now();
    let database: z.infer<typeof healthSchema>['database'];
    try {
      await Promise.race([
        db.execute(sql`select 1`),
        new Promise((_, reject) => setTimeout(() => reject(new Error('timed out after 3 s')), 3000).unref()),
      ]);
      database = { reachable: true, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
    } catch (e) {
      database = { reachable: false, latencyMs: null, error: (e as Error).message };
    }
    const body = { status: database.reachable ? 'ok' : 'degraded', version: APP_VERSION, database };
    return json(body, { status: database.reachable ? 200 : 503, headers: { 'cache-control': 'no-store' } });
  },
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
