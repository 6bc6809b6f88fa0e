// The audit filters as query parameters, shared by the list (GET /api/v1/audit-events) and its CSV export.
import { z } from '@/server/http/openapi';
import type { AuditFilters } from './events';

// PostgreSQL has no year 0 and JSON dates have at most four digits: keep to years 1–9999 (UTC).
const isoDate = () =>
  z.iso.datetime({ offset: true }).refine((v) => {
    const y = new Date(v).getUTCFullYear();
    return y >= 1 && y <= 9999;
  }, 'a date between the years 1 and 9999');

export const auditFilterQuery = z.object({
  action: z.string().min(1).max(100).optional(),
  outcome: z.enum(['success', 'failure', 'denied']).optional(),
  actorUserId: z.uuid().optional(),
  targetType: z.string().min(1).max(100).optional(),
  targetId: z.string().min(1).max(200).optional(),
  requestId: z.string().min(1).max(200).optional(),
  since: isoDate().optional(),
  until: isoDate().optional(),
});

export function auditFiltersFrom(q: z.infer<typeof auditFilterQuery>): AuditFilters {
  const { since, until, ...rest } = q;
  return { ...rest, since: since ? new Date(since) : undefined, until: until ? new Date(until) : undefined };
}
