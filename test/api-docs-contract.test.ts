// docs/api.md says nothing the OpenAPI document contradicts (issue 11 item 2, DESIGN §9): its query
// strings (`GET /…?a=&b=`), the asset list's sort keys and filter values, and the error codes with their
// statuses are checked against the document generated from the routes. A route that adds a filter, a sort
// key or an error code without the docs (or the other way round) fails here, naming what differs.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openApiOperations } from './api-fixtures';

const DOCS = fs.readFileSync(path.join(import.meta.dirname, '..', 'docs', 'api.md'), 'utf8');
const { doc } = openApiOperations();

type Param = { name: string; in: string; schema?: Record<string, unknown> };
function queryParams(opPath: string): Param[] {
  const op = (doc.paths?.[opPath] as Record<string, { parameters?: Param[] }> | undefined)?.get;
  if (!op) throw new Error(`docs/api.md names GET ${opPath}, which the OpenAPI document does not have`);
  return (op.parameters ?? []).filter((p) => p.in === 'query');
}
const ticks = (s: string) => [...s.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
const enumOf = (s: Record<string, unknown> | undefined): string[] => {
  if (!s) return [];
  if (Array.isArray(s.enum)) return s.enum as string[];
  for (const k of ['anyOf', 'oneOf']) {
    if (Array.isArray(s[k])) return (s[k] as Record<string, unknown>[]).flatMap(enumOf);
  }
  return [];
};
/** The text of the markdown bullet that starts with `start` (through its indented continuation lines). */
function bullet(section: string, start: string): string {
  const i = section.indexOf(start);
  if (i < 0) throw new Error(`docs/api.md: no bullet starting ${start}`);
  const rest = section.slice(i);
  const end = rest.slice(1).search(/\n(- |\n|#)/);
  return end < 0 ? rest : rest.slice(0, end + 1);
}
const assetsSection = DOCS.slice(DOCS.indexOf('### Asset search and filters'));

describe('docs/api.md agrees with the OpenAPI document', () => {
  it('every documented query string names exactly the operation’s query parameters', () => {
    const found = [...DOCS.matchAll(/`GET ((?:\/api\/v1)?\/[a-z0-9\-/{}.]+)\?([^`\s]+)`/g)];
    expect(found.length).toBeGreaterThan(1);
    const problems: string[] = [];
    for (const [, p, qs] of found) {
      const opPath = p!.startsWith('/api/v1') ? p! : `/api/v1${p}`;
      const documented = qs!.split('&').map((kv) => kv.split('=')[0]!);
      const declared = queryParams(opPath).map((x) => x.name);
      for (const n of documented) {
        if (!declared.includes(n))
          problems.push(`GET ${opPath}: docs list ?${n}=, the API has no such parameter`);
      }
      for (const n of declared) {
        if (!documented.includes(n) && n !== 'limit' && n !== 'offset') {
          problems.push(`GET ${opPath}: the API takes ?${n}=, docs/api.md does not list it`);
        }
      }
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('the asset list’s sort keys are the ones the API takes', () => {
    const text = bullet(assetsSection, '- `sort`:');
    const documented = new Set(ticks(text).filter((k) => /^[a-zA-Z][\w.]*$/.test(k) && k !== 'sort'));
    const sort = queryParams('/api/v1/assets').find((p) => p.name === 'sort');
    const declared = new Set(enumOf(sort?.schema).map((k) => k.replace(/^-/, '')));
    const missing = [...declared].filter((k) => !documented.has(k));
    // The bullet may mention other parameters (`q`) beside the keys.
    const paramNames = new Set(queryParams('/api/v1/assets').map((p) => p.name));
    const extra = [...documented].filter(
      (k) => !declared.has(k) && !k.startsWith('ledger.') && !paramNames.has(k),
    );
    expect({ missing, extra }, `sort keys in docs/api.md vs GET /api/v1/assets`).toEqual({
      missing: [],
      extra: [],
    });
  });

  it('the asset list’s filter values are the ones the API takes', () => {
    const text = bullet(assetsSection, '- `kind`');
    const params = queryParams('/api/v1/assets');
    const problems: string[] = [];
    for (const m of text.matchAll(/`(\w+)` \(((?:`[^`]+`,?\s*)+)\)/g)) {
      const name = m[1]!;
      const documented = ticks(m[2]!);
      const declared = enumOf(params.find((p) => p.name === name)?.schema);
      if (JSON.stringify([...documented].sort()) !== JSON.stringify([...declared].sort())) {
        problems.push(`${name}: docs list ${documented.join(', ')}; the API takes ${declared.join(', ')}`);
      }
    }
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('the error codes and their statuses are the documented set', () => {
    const codes = (doc as unknown as { 'x-error-codes': Record<string, number> })['x-error-codes'];
    const text = bullet(DOCS, '- Errors:');
    const listed = text.slice(text.indexOf('Codes:'));
    // "`A`, `B` (400), `C` (401)": each status applies to the codes since the previous one.
    const documented: Record<string, number> = {};
    let pending: string[] = [];
    for (const m of listed.matchAll(/`([A-Z][A-Z_]+)`|\((\d{3})/g)) {
      if (m[1]) pending.push(m[1]);
      else {
        for (const c of pending) documented[c] = Number(m[2]);
        pending = [];
      }
    }
    expect(pending, `codes without a status in docs/api.md: ${pending.join(', ')}`).toEqual([]);
    expect(documented).toEqual(codes);
  });

  it('the document’s description names every role an operation requires', () => {
    const roles = new Set<string>();
    for (const ops of Object.values(doc.paths ?? {}))
      for (const op of Object.values(ops as Record<string, { 'x-required-role'?: string }>))
        if (op['x-required-role']) roles.add(op['x-required-role']);
    const listed = /`x-required-role` \(([^)]*)\)/.exec(doc.info.description ?? '')?.[1] ?? '';
    expect(roles.size).toBeGreaterThan(2);
    expect(
      listed
        .split(/[^a-z]+/)
        .filter((r) => roles.has(r))
        .sort(),
    ).toEqual([...roles].sort());
  });
});
