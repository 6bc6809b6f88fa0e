// Property-based fuzzing of every operation in the OpenAPI document: fast-check builds path parameters,
// query strings and JSON bodies from each operation's own schemas — mostly valid, sometimes bent (wrong
// types, unknown enum values, huge or odd strings, lone surrogates, missing required fields) — and the
// server must never answer 5xx.
import fc from 'fast-check';

type Schema = Record<string, unknown> & {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  format?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  nullable?: boolean;
};

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}

interface Operation {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

export interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Strings a careless parser trips on: markup, SQL, CJK, emoji, control characters, lone surrogates. */
const oddString = fc.constantFrom(
  '',
  ' ',
  '<script>&amp;"\'',
  "'; drop table assets; --",
  '服务器-01',
  '😀🏳️‍🌈',
  '\u0000\u0007\u001f',
  't\ud800',
  '\udfff',
  '%2F..%2F..',
  '../../etc/passwd',
  'x'.repeat(10_000),
  '1e309',
  '-0',
  'null',
  'NaN',
  '2026-02-30T25:61:00Z',
  '00000000-0000-0000-0000-000000000000',
);

export function arbitraryFor(schema: Schema | undefined, doc: OpenApiDoc, depth = 0): fc.Arbitrary<unknown> {
  if (!schema) return fc.jsonValue({ maxDepth: 2 });
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop()!;
    return depth > 6 ? fc.constant(null) : arbitraryFor(doc.components?.schemas?.[name], doc, depth + 1);
  }
  // Mostly what the schema says; now and then something else entirely.
  return fc.oneof(
    { weight: 6, arbitrary: validFor(schema, doc, depth) },
    { weight: 1, arbitrary: fc.oneof(oddString, fc.jsonValue({ maxDepth: 2 }), fc.double(), fc.boolean()) },
  );
}

function validFor(schema: Schema, doc: OpenApiDoc, depth: number): fc.Arbitrary<unknown> {
  if (depth > 6) return fc.constant(null);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alts = schema.anyOf ?? schema.oneOf;
  if (alts?.length) return fc.oneof(...alts.map((s) => arbitraryFor(s, doc, depth + 1)));
  if (schema.allOf?.length) {
    const merged: Schema = { type: 'object', properties: {}, required: [] };
    for (const part of schema.allOf) {
      const p = (part.$ref ? doc.components?.schemas?.[part.$ref.split('/').pop()!] : part) ?? {};
      Object.assign(merged.properties!, p.properties ?? {});
      merged.required!.push(...(p.required ?? []));
    }
    return validFor(merged, doc, depth + 1);
  }
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length > 1) return fc.oneof(...types.map((t) => validFor({ ...schema, type: t }, doc, depth)));
  const base = ((): fc.Arbitrary<unknown> => {
    switch (types[0]) {
      case 'string':
        if (schema.format === 'uuid') return fc.uuid();
        if (schema.format === 'date-time')
          return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
        if (schema.format === 'date')
          return fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
        return fc.oneof(
          fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 200) }),
          oddString,
        );
      case 'integer':
        return fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 100_000 });
      case 'number':
        return fc.double({ noNaN: true, min: schema.minimum, max: schema.maximum });
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      case 'array':
        return fc.array(arbitraryFor(schema.items, doc, depth + 1), { maxLength: 4 });
      case 'object':
      case undefined: {
        if (!schema.properties)
          return fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 });
        const props = Object.fromEntries(
          Object.entries(schema.properties).map(([k, v]) => [k, arbitraryFor(v, doc, depth + 1)]),
        );
        return fc.record(props, { requiredKeys: (schema.required ?? []).filter((k) => k in props) });
      }
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  })();
  return schema.nullable ? fc.option(base, { nil: null }) : base;
}

const asParam = (v: unknown): string =>
  v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);

/** Percent-encodes the UTF-8 bytes (a lone surrogate becomes U+FFFD, as any client would send it). */
const encodeSegment = (s: string): string =>
  [...Buffer.from(s, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');

export interface FuzzResult {
  operations: number;
  requests: number;
  /** "METHOD path → status: body excerpt" of each 5xx */
  status5xx: string[];
  /** counts by status class, e.g. "2xx 310, 4xx 590" */
  statuses: string;
}

/** Sends `runs` generated requests to every operation of `doc` at `base`. */
export async function fuzzOpenApi(
  base: string,
  headers: Record<string, string>,
  doc: OpenApiDoc,
  options: { runs: number; uuids: string[]; seed?: number },
): Promise<FuzzResult> {
  const status5xx: string[] = [];
  const classes = new Map<string, number>();
  let operations = 0;
  let requests = 0;
  const idArb = fc.oneof(fc.constantFrom(...options.uuids), fc.uuid(), oddString, fc.integer().map(String));
  for (const [template, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      operations++;
      const params = op.parameters ?? [];
      const pathParams = params.filter((p) => p.in === 'path');
      const queryParams = params.filter((p) => p.in === 'query');
      const bodySchema = op.requestBody?.content?.['application/json']?.schema;
      const arb = fc.record({
        path: fc.record(Object.fromEntries(pathParams.map((p) => [p.name, idArb]))),
        query: fc.record(Object.fromEntries(queryParams.map((p) => [p.name, arbitraryFor(p.schema, doc)])), {
          requiredKeys: [],
        }),
        body: bodySchema ? arbitraryFor(bodySchema, doc) : fc.constant(undefined),
      });
      await fc.assert(
        fc.asyncProperty(arb, async ({ path, query, body }) => {
          let url = template.replace(/\{(\w+)\}/g, (_, k: string) => encodeSegment(asParam(path[k])));
          const qs = new URLSearchParams();
          for (const [k, v] of Object.entries(query)) qs.set(k, asParam(v));
          if ([...qs].length) url += `?${qs}`;
          const init: RequestInit = { method: method.toUpperCase(), headers: { ...headers } };
          if (body !== undefined && method !== 'get' && method !== 'delete') {
            init.body = JSON.stringify(body);
            (init.headers as Record<string, string>)['content-type'] = 'application/json';
          }
          requests++;
          let r: Response;
          let text: string;
          try {
            r = await fetch(`${base}${url}`, init);
            text = await r.text();
          } catch (err) {
            classes.set('no answer', (classes.get('no answer') ?? 0) + 1);
            status5xx.push(`${init.method} ${url.slice(0, 120)} → no answer: ${(err as Error).message}`);
            return true;
          }
          const cls = `${Math.floor(r.status / 100)}xx`;
          classes.set(cls, (classes.get(cls) ?? 0) + 1);
          if (r.status >= 500)
            status5xx.push(
              `${init.method} ${url.slice(0, 120)}${init.body ? ` ${String(init.body).slice(0, 300)}` : ''} → ${r.status}: ${text.slice(0, 160)}`,
            );
          return true; // collect every 5xx instead of stopping at the first
        }),
        { numRuns: options.runs, seed: options.seed, endOnFailure: true },
      );
    }
  }
  const statuses = [...classes.entries()]
    .sort()
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return { operations, requests, status5xx, statuses };
}
