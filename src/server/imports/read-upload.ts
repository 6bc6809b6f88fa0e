// The uploaded file of an import request: the raw body (text/csv, application/octet-stream) or the `file`
// part of a multipart form (what a browser's FormData sends). Read up to a limit, never unbounded.
import { AppError } from '@/lib/errors';
import { MAX_IMPORT_BYTES } from './parse-import-file';

const tooLarge = () =>
  new AppError('PAYLOAD_TOO_LARGE', `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB`);

export async function readUpload(request: Request): Promise<{ buf: Buffer; fileName: string | null }> {
  const declared = Number(request.headers.get('content-length') ?? 'NaN');
  if (declared > MAX_IMPORT_BYTES + 64 * 1024) throw tooLarge();
  const type = request.headers.get('content-type') ?? '';
  if (/^multipart\/form-data/i.test(type)) {
    let form: FormData;
    try {
      form = await request.formData();
    } catch {
      throw new AppError('VALIDATION_FAILED', 'body: not a readable multipart form');
    }
    const file = form.get('file');
    if (!file || typeof file === 'string') {
      throw new AppError('VALIDATION_FAILED', 'body.file: attach the CSV file as the form field `file`', {
        details: { issues: [{ path: 'body.file', message: 'missing' }] },
      });
    }
    if (file.size > MAX_IMPORT_BYTES) throw tooLarge();
    return { buf: Buffer.from(await file.arrayBuffer()), fileName: file.name || null };
  }
  if (!request.body) return { buf: Buffer.alloc(0), fileName: null };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_IMPORT_BYTES) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  return { buf: Buffer.concat(chunks), fileName: null };
}
