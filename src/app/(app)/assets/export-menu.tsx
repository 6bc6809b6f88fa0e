'use client';
// The asset list's export (issue 14): CSV or the RVTools-style Excel workbook of the list as filtered.
// Both are plain links (they work without JavaScript, and a small export is just a download). An export of
// more than BACKGROUND_ROWS assets is handed to the app shell's background export instead
// (src/components/background-export.tsx): a panel shows how far it is, the user may go on working or move
// to another page, and the file is saved when complete.
import { Download, FileSpreadsheet } from 'lucide-react';
import { buttonVariants } from '@/components/ui/button';
import { useBackgroundExport, type ExportFormat } from '@/components/background-export';
import { useLocale, useT } from '@/i18n/client';

const BACKGROUND_ROWS = 2000;

export function ExportMenu({ query, total }: { query: string; total: number }) {
  const t = useT();
  const locale = useLocale();
  const { job, start } = useBackgroundExport();
  const params = new URLSearchParams(query);
  if (locale !== 'en') params.set('lang', locale);
  const qs = params.toString() ? `?${params}` : '';
  const csvHref = `/api/v1/exports/assets${qs}`;
  const xlsxHref = `/api/v1/exports/assets.xlsx${qs}`;

  const onClick = (format: ExportFormat, href: string, fallback: string) => (e: React.MouseEvent) => {
    if (total <= BACKGROUND_ROWS) return; // a plain download
    e.preventDefault();
    start({ format, href, fallback, total });
  };

  const running = job?.state === 'running';
  return (
    <div className="flex items-center gap-2" role="group" aria-label={t('assetExport.menu')}>
      <a
        href={csvHref}
        className={buttonVariants({ variant: 'outline', size: 'sm' })}
        data-testid="export-csv"
        aria-disabled={running}
        onClick={onClick('CSV', csvHref, 'assets.csv')}
      >
        <Download /> {t('assets.exportCsv')}
      </a>
      <a
        href={xlsxHref}
        className={buttonVariants({ variant: 'outline', size: 'sm' })}
        data-testid="export-xlsx"
        aria-disabled={running}
        onClick={onClick('Excel', xlsxHref, 'estate.xlsx')}
      >
        <FileSpreadsheet /> {t('assetExport.excel')}
      </a>
    </div>
  );
}
