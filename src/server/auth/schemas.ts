// Shapes the auth endpoints return; other endpoints reuse userSchema.
import { z } from '@/server/http/openapi';

export const userSchema = z
  .object({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string().nullable(),
    role: z.enum(['admin', 'editor', 'user']),
    mustChangePassword: z.boolean(),
  })
  .openapi('User');
