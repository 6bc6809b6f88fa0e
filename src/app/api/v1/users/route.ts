import { asc, sql } from 'drizzle-orm';
import { users } from '@/db/schema';
import { listEnvelope, page, paginationQuery, route, z } from '@/server/http';
import { userSchema } from '@/server/auth/schemas';

const userListItem = userSchema.extend({
  enabled: z.boolean(),
  lastLoginAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});

export const GET = route(
  {
    method: 'get',
    path: '/api/v1/users',
    summary: 'List users',
    tags: ['users'],
    auth: 'admin',
    query: paginationQuery,
    responses: { 200: listEnvelope(userListItem) },
  },
  async ({ db, query }) => {
    const [rows, [count]] = await Promise.all([
      db
        .select({
          id: users.id,
          username: users.username,
          displayName: users.displayName,
          role: users.role,
          mustChangePassword: users.mustChangePassword,
          enabled: users.enabled,
          lastLoginAt: users.lastLoginAt,
          createdAt: users.createdAt,
        })
        .from(users)
        .orderBy(asc(sql`lower(${users.username})`))
        .limit(query.limit)
        .offset(query.offset),
      db.select({ n: sql<number>`count(*)::int` }).from(users),
    ]);
    return page(rows, count!.n, query);
  },
);
