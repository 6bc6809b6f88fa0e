import { auditFilterQuery, auditFiltersFrom } from '@/server/audit/schemas';
import { streamAuditEventsCsv } from '@/server/exports/audit-events-csv';
import { otherMethods, route, z } from '@/server/http';

export const GET = route(
  {
    method: 'get',
    path: '/api/v1/exports/audit-events.csv',
    summary: 'The audit log as CSV',
    description:
      'Same filters as GET /api/v1/audit-events, every matching event (newest first), streamed. UTF-8 with a byte-order mark. Headers, actions, outcomes and details in words in `lang` (en or zh-CN), with the action code, target id and request id beside them; configuration changes as "field: old → new". Never holds secrets.',
    tags: ['audit'],
    auth: 'admin',
    query: auditFilterQuery.extend({ lang: z.enum(['en', 'zh-CN']).optional() }),
    responses: { 200: { description: 'CSV', contentType: 'text/csv' } },
  },
  async ({ db, query }) => {
    const { lang, ...filters } = query;
    const stamp = new Date().toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
    return new Response(streamAuditEventsCsv(db, auditFiltersFrom(filters), lang ?? 'en'), {
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="audit-events-${stamp}.csv"`,
        'cache-control': 'no-store',
      },
    });
  },
);

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods({ GET });
