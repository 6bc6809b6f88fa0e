import { listAuditEvents } from '@/server/audit/events';
import { auditFilterQuery, auditFiltersFrom } from '@/server/audit/schemas';
import { listEnvelope, paginationQuery, route, otherMethods } from '@/server/http';
import { auditEventSchema } from '@/server/users/schemas';

export const GET = route(
  {
    method: 'get',
    path: '/api/v1/audit-events',
    summary: 'List audit events',
    description: 'Newest first. `action` ending in `.` or `*` matches a prefix (e.g. `source.`).',
    tags: ['audit'],
    auth: 'admin',
    query: paginationQuery.extend(auditFilterQuery.shape),
    responses: { 200: listEnvelope(auditEventSchema) },
  },
  async ({ db, query }) => {
    const { limit, offset, ...filters } = query;
    return listAuditEvents(db, auditFiltersFrom(filters), { limit, offset });
  },
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
