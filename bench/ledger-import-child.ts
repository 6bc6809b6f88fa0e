// One import (dry run, then apply) of a CSV file in a process of its own, so its peak RSS is the
// import's and not the benchmark's setup. Prints {dryMs, applyMs, applied, changed, maxRssMb} as JSON.
//   node --import tsx bench/ledger-import-child.ts <database url> <csv file>
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { closeDb, createDb } from '@/db/client';
import { parseImportFile } from '@/server/imports/parse-import-file';
import { runImport } from '@/server/imports/run-import';
import { systemActor } from '@/server/users/actor';

async function main() {
  const [url, file] = process.argv.slice(2);
  const db = createDb(url!, { max: 2, applicationName: 'bench-ledger-import' });
  const actor = systemActor('bench');
  try {
    // As the web server does: the file's bytes in memory, each answer listing its first 1,000 rows.
    let t0 = performance.now();
    const dry = await runImport(db, actor, await parseImportFile(readFileSync(file!)), {
      mode: 'dry_run',
      strict: true,
      clearEmpty: false,
      fileName: null,
    });
    const changed = dry.summary.changed;
    const dryMs = performance.now() - t0;
    t0 = performance.now();
    const { applied } = await runImport(db, actor, await parseImportFile(readFileSync(file!)), {
      mode: 'apply',
      strict: true,
      clearEmpty: false,
      fileName: 'bench.csv',
    });
    const applyMs = performance.now() - t0;
    const maxRssMb = process.resourceUsage().maxRSS / 1024;
    console.log(JSON.stringify({ dryMs, applyMs, changed, applied, maxRssMb }));
  } finally {
    await closeDb(db);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
