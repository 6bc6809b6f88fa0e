import { listAuditEvents } from '@/server/audit/events';
import { listEnvelope, paginationQuery, route, z, otherMethods } from '@/server/http';
import { auditEventSchema } from '@/server/users/schemas';

// PostgreSQL has no year 0 and JSON dates have at most four digits: keep to years 1–9999 (UTC).
const isoDate = () =>
  z.iso.datetime({ offset: true }).refine((v) => {
    const y = new Date(v).getUTCFullYear();
    return y >= 1 && y <= 9999;
  }, 'a date between the years 1 and 9999');

export const GET = route(
  {
    method: 'get',
    path: '/api/v1/audit-events',
    summary: 'List audit events',
    description: 'Newest first. `action` ending in `.` or `*` matches a prefix (e.g. `source.`).',
    tags: ['audit'],
    auth: 'admin',
    query: paginationQuery.extend({
      action: z.string().min(1).max(100).optional(),
      outcome: z.enum(['success', 'failure', 'denied']).optional(),
      actorUserId: z.uuid().optional(),
      targetType: z.string().min(1).max(100).optional(),
      targetId: z.string().min(1).max(200).optional(),
      requestId: z.string().min(1).max(200).optional(),
      since: isoDate().optional(),
      until: isoDate().optional(),
    }),
    responses: { 200: listEnvelope(auditEventSchema) },
  },
  async ({ db, query }) => {
    const { limit, offset, since, until, ...filters } = query;
    return listAuditEvents(
      db,
      { ...filters, since: since ? new Date(since) : undefined, until: until ? new Date(until) : undefined },
      { limit, offset },
    );
  },
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
