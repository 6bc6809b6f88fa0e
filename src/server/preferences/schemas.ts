// API shapes of a user's own UI preferences.
import { z } from '@/server/http/openapi';

// Field keys of the dictionary (src/server/fields/dictionary.ts), ledger ones included (`ledger.owner`).
const fieldKey = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z][A-Za-z0-9_.]*$/, 'a field key such as memoryBytes');

export const preferencesSchema = z
  .object({
    assetColumns: z
      .array(fieldKey)
      .nullable()
      .openapi({ description: 'Columns of the asset list, in order; null means the default set.' }),
  })
  .openapi('UserPreferences');

export const updatePreferencesBody = z.object({
  assetColumns: z.array(fieldKey).max(60).nullable().optional(),
});

export type Preferences = z.infer<typeof preferencesSchema>;
