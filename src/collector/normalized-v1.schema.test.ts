// normalized-v1.schema.json is the JSON Schema of normalized-v1 for non-TypeScript plugins and readers,
// generated from the zod schema the worker validates with. Regenerate: UPDATE_SCHEMA=1 npx vitest run <this file>
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as prettier from 'prettier';
import { z } from 'zod';
import { normalizedV1Schema } from './contract';

const FILE = path.join(import.meta.dirname, 'normalized-v1.schema.json');

/** Generated and formatted the way `npm run format` would, so format:check stays green. */
async function generate(): Promise<string> {
  const schema = {
    ...z.toJSONSchema(normalizedV1Schema, { target: 'draft-2020-12' }),
    $id: 'https://asset-ledger.invalid/schemas/normalized-v1.schema.json',
    title: 'normalized-v1',
    description:
      'Normalized asset fields of the collector contract v1 (DESIGN §6). Absent means not reported.',
  };
  const config = (await prettier.resolveConfig(FILE)) ?? {};
  return prettier.format(JSON.stringify(schema), { ...config, filepath: FILE });
}

describe('normalized-v1 JSON Schema', () => {
  it('the committed file equals the one generated from the zod schema', async () => {
    const generated = await generate();
    if (process.env.UPDATE_SCHEMA === '1') writeFileSync(FILE, generated);
    expect(readFileSync(FILE, 'utf8')).toBe(generated);
  });

  it('is strict: unknown fields and empty strings are rejected, absent fields are fine', () => {
    const doc = JSON.parse(readFileSync(FILE, 'utf8'));
    expect(doc.additionalProperties).toBe(false);
    expect(doc.properties.identity.properties.hostname.minLength).toBe(1);
    expect(normalizedV1Schema.safeParse({}).success).toBe(true);
    expect(normalizedV1Schema.safeParse({ identity: { hostname: '' } }).success).toBe(false);
    expect(normalizedV1Schema.safeParse({ identity: { nickname: 'x' } }).success).toBe(false);
  });
});
