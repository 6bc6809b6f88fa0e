// The one OpenAPI registry. route() records every operation here; /api/openapi.json renders it.
// Import zod from this module (or from '@/server/http') so `.openapi()` is available on schemas.
import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ERROR_STATUS } from '@/lib/errors';

extendZodWithOpenApi(z);

export { z };

export const errorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'VALIDATION_FAILED' }),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .openapi('Error');

export type RouteAuth = 'public' | 'user' | 'editor' | 'admin';

export interface OperationRecord {
  method: string;
  path: string;
  auth: RouteAuth;
  config: Parameters<OpenAPIRegistry['registerPath']>[0];
}

// Keyed by "METHOD path" so a module evaluated twice (dev reloads, tests) replaces its entry.
const globalKey = Symbol.for('asset-ledger.openapi.operations');
type G = typeof globalThis & { [globalKey]?: Map<string, OperationRecord> };
function operations(): Map<string, OperationRecord> {
  const g = globalThis as G;
  g[globalKey] ??= new Map();
  return g[globalKey]!;
}

export function recordOperation(op: OperationRecord): void {
  operations().set(`${op.method.toUpperCase()} ${op.path}`, op);
}

export function listOperations(): OperationRecord[] {
  return [...operations().values()].sort((a, b) =>
    a.path === b.path ? a.method.localeCompare(b.method) : a.path.localeCompare(b.path),
  );
}

/** Builds the OpenAPI 3.1 document from every recorded operation (import src/app/api/v1/routes first). */
export function buildOpenApiDocument(info: { version: string }) {
  const registry = new OpenAPIRegistry();
  registry.register('Error', errorSchema);
  registry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey',
    in: 'cookie',
    name: 'al_session',
    description: 'Session cookie set by POST /api/v1/auth/login.',
  });
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'API token (Authorization: Bearer <token>).',
  });
  for (const op of listOperations()) registry.registerPath(op.config);
  const generator = new OpenApiGeneratorV31(registry.definitions);
  const doc = generator.generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Asset Ledger API',
      version: info.version,
      description:
        'Errors are always `{error: {code, message, details?}}`. Every response carries `x-request-id`. ' +
        'Each operation states the role it needs in `x-required-role` (public, user, editor, admin: each ' +
        'role may do what the ones before it may).',
    },
    servers: [{ url: '/' }],
  });
  // The stable error codes with their HTTP status (docs/api.md lists the same; test/api-docs-contract.test.ts).
  return { ...doc, 'x-error-codes': API_ERROR_CODES };
}

/** Codes an API response can carry (CONFIG_INVALID is a start-up failure, never an API answer). */
export const API_ERROR_CODES: Record<string, number> = Object.fromEntries(
  Object.entries(ERROR_STATUS).filter(([code]) => code !== 'CONFIG_INVALID'),
);
