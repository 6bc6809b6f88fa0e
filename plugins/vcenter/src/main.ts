// vCenter collector plugin entry: a collector request on stdin → its response on stdout: contract v2
// (NDJSON) for a collector-request-v2, the v1 document for a collector-request-v1.
// Exit 0 on success, 1 when errors[] is non-empty, 2 when the request itself is unusable.
// Nothing derived from the credential is ever written to stdout or stderr.
import { watchLifeline } from './lifeline';
import type { ResponseWriter } from './output';
import { EXIT_BAD_REQUEST, errorResponse, parseRequest, runRequest, writerFor } from './run';

// The response under way, so that a crash still ends it in its own format.
let writer: ResponseWriter | undefined;

watchLifeline();

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

async function main(): Promise<number> {
  const parsed = parseRequest(await readStdin());
  if (!parsed.ok) {
    process.stdout.write(parsed.output);
    return EXIT_BAD_REQUEST;
  }
  writer = writerFor(parsed.request, process.stdout);
  const { exitCode, result } = await runRequest(parsed.request, process.stdout, { writer });
  // For benchmarks only: request/byte counts on stderr (never credentials).
  if (process.env.ASSET_LEDGER_COLLECT_STATS === '1' && result) {
    process.stderr.write(`COLLECT_STATS ${JSON.stringify(result.http)}\n`);
  }
  return exitCode;
}

main().then(
  (code) => {
    process.exitCode = code;
    // Keep-alive sockets are closed by the collector; this only guards against a stray handle.
    setTimeout(() => process.exit(code), 5000).unref();
  },
  (err: unknown) => {
    const errors = [
      {
        code: 'VCENTER_API_ERROR',
        category: 'internal',
        message: `collector crashed: ${err instanceof Error ? err.name : 'error'}`,
        retryable: false,
      },
    ];
    process.stdout.write(writer ? writer.fail(errors) : errorResponse(errors));
    process.exit(1);
  },
);
