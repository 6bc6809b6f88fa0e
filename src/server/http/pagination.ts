// Offset pagination shared by every list endpoint: `?limit=&offset=` in, `{items, total, limit, offset}` out.
import { z } from './openapi';

export const MAX_LIMIT = 500;

export const paginationQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(50).openapi({ description: 'Page size' }),
  offset: z.coerce.number().int().min(0).default(0).openapi({ description: 'Items to skip' }),
});

export type Pagination = z.infer<typeof paginationQuery>;

/** The list envelope schema for items of `item`. */
export function listEnvelope<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    total: z.number().int(),
    limit: z.number().int(),
    offset: z.number().int(),
  });
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export function page<T>(items: T[], total: number, p: Pagination): Page<T> {
  return { items, total, limit: p.limit, offset: p.offset };
}
