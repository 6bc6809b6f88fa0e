'use client';
import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { ArrowDown, ArrowUp, ArrowUpDown } from 'lucide-react';
import { flexRender, getCoreRowModel, useReactTable, type ColumnDef } from '@tanstack/react-table';
import { fmtDateTime } from '@/components/format';
import { Badge } from '@/components/ui/badge';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { translateOr, type Translate } from '@/i18n';
import { useLocale, useT } from '@/i18n/client';
import { SelectPage, SelectRow } from '@/components/ledger/selection';
import { showValue, type LedgerFieldView } from '@/components/ledger/types';

export type AssetRow = {
  uuid: string;
  kind: string;
  status: string;
  name: string | null;
  hostname: string | null;
  serial_number: string | null;
  ip_addresses: string[];
  power_state: string | null;
  cluster_name: string | null;
  host_name: string | null;
  last_seen_at: string | null;
  tools_running: boolean | null;
  /** Ledger values {key: value}, for the chosen ledger columns. */
  ledger?: Record<string, unknown>;
};

// Sorting and paging happen in PostgreSQL; the table library renders and the headers link to new sorts.
function SortHeader({ column, label }: { column: string; label: string }) {
  const t = useT();
  const sp = useSearchParams();
  const pathname = usePathname();
  const sort = sp.get('sort') ?? 'name';
  const active = sort.replace(/^-/, '') === column;
  const desc = sort.startsWith('-');
  const next = new URLSearchParams(sp.toString());
  next.set('sort', active && !desc ? `-${column}` : column);
  next.delete('offset');
  const Icon = !active ? ArrowUpDown : desc ? ArrowDown : ArrowUp;
  return (
    <Link
      href={`${pathname}?${next.toString()}`}
      className="inline-flex items-center gap-1 hover:text-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring rounded"
      aria-label={t('assets.sortBy', { column: label })}
      aria-sort={active ? (desc ? 'descending' : 'ascending') : undefined}
      data-sort={column}
    >
      {label}
      <Icon className={active ? 'size-3.5' : 'size-3.5 opacity-40'} />
    </Link>
  );
}

function ToolsNotRunning({ t }: { t: Translate }) {
  return <span className="text-xs italic text-muted-foreground">{t('assets.toolsNotRunning')}</span>;
}

// Row selection for the ledger's bulk edit (src/components/ledger): drawn only inside its provider.
function selectColumn(rows: AssetRow[]): ColumnDef<AssetRow> {
  return {
    id: 'select',
    header: () => <SelectPage uuids={rows.map((r) => r.uuid)} />,
    cell: ({ row: { original: r } }) => <SelectRow uuid={r.uuid} name={r.name ?? r.uuid} />,
  };
}

// Chosen ledger fields (src/components/ledger/ledger-columns.tsx), sorted by `ledger.<key>` in PostgreSQL.
function ledgerColumn(t: Translate, locale: 'en' | 'zh-CN', f: LedgerFieldView): ColumnDef<AssetRow> {
  return {
    id: `ledger.${f.key}`,
    header: () => (
      <SortHeader column={`ledger.${f.key}`} label={locale === 'zh-CN' ? f.label.zhCN : f.label.en} />
    ),
    cell: ({ row: { original: r } }) => (
      <span className="line-clamp-2 whitespace-pre-wrap" data-testid={`cell-ledger-${f.key}`}>
        {showValue(t, f, r.ledger?.[f.key])}
      </span>
    ),
  };
}

function columns(t: Translate, locale: 'en' | 'zh-CN'): ColumnDef<AssetRow>[] {
  const blankGuest = (r: AssetRow) => r.kind === 'vm' && r.tools_running === false;
  return [
    {
      id: 'name',
      header: () => <SortHeader column="name" label={t('assets.name')} />,
      cell: ({ row: { original: r } }) => (
        <Link
          href={`/assets/${r.uuid}`}
          className="font-medium text-primary hover:underline"
          data-testid="asset-link"
        >
          {r.name ?? r.uuid}
        </Link>
      ),
    },
    {
      id: 'kind',
      header: () => <SortHeader column="kind" label={t('assets.kind')} />,
      cell: ({ row: { original: r } }) => (
        <span className="whitespace-nowrap">{translateOr(t, `kind.${r.kind}`, r.kind)}</span>
      ),
    },
    {
      id: 'status',
      header: () => <SortHeader column="status" label={t('assets.status')} />,
      cell: ({ row: { original: r } }) => (
        <Badge variant={r.status === 'active' ? 'success' : 'warning'}>
          {translateOr(t, `assetStatus.${r.status}`, r.status)}
        </Badge>
      ),
    },
    {
      id: 'power_state',
      header: () => <SortHeader column="powerState" label={t('assets.power')} />,
      cell: ({ row: { original: r } }) => (
        <span className="whitespace-nowrap">
          {r.power_state ? translateOr(t, `power.${r.power_state}`, r.power_state) : '—'}
        </span>
      ),
    },
    {
      id: 'hostname',
      header: () => <SortHeader column="hostname" label={`${t('assets.hostname')} / ${t('assets.ip')}`} />,
      cell: ({ row: { original: r } }) =>
        blankGuest(r) && !r.hostname && r.ip_addresses.length === 0 ? (
          <ToolsNotRunning t={t} />
        ) : (
          <span className="flex flex-col">
            <span>{r.hostname ?? '—'}</span>
            {r.ip_addresses.slice(0, 3).map((ip) => (
              <span key={ip} className="whitespace-nowrap font-mono text-xs text-muted-foreground">
                {ip}
              </span>
            ))}
            {r.ip_addresses.length > 3 && (
              <span className="text-xs text-muted-foreground">+{r.ip_addresses.length - 3}</span>
            )}
          </span>
        ),
    },
    {
      id: 'host_name',
      header: () => <SortHeader column="hostName" label={`${t('assets.host')} / ${t('assets.cluster')}`} />,
      cell: ({ row: { original: r } }) => (
        <span className="flex flex-col">
          <span>{r.host_name ?? '—'}</span>
          {r.cluster_name && <span className="text-xs text-muted-foreground">{r.cluster_name}</span>}
        </span>
      ),
    },
    {
      id: 'serial_number',
      header: () => <SortHeader column="serialNumber" label={t('assets.serial')} />,
      cell: ({ row: { original: r } }) => r.serial_number ?? '—',
    },
    {
      id: 'last_seen_at',
      header: () => <SortHeader column="lastSeenAt" label={t('assets.lastSeen')} />,
      cell: ({ row: { original: r } }) => (
        <span className="text-xs">{fmtDateTime(r.last_seen_at, locale)}</span>
      ),
    },
  ];
}

export function AssetTable({
  rows,
  selectable = false,
  ledgerColumns = [],
}: {
  rows: AssetRow[];
  selectable?: boolean;
  ledgerColumns?: LedgerFieldView[];
}) {
  const t = useT();
  const locale = useLocale();
  const all = [...columns(t, locale), ...ledgerColumns.map((f) => ledgerColumn(t, locale, f))];
  const table = useReactTable({
    data: rows,
    columns: selectable ? [selectColumn(rows), ...all] : all,
    getCoreRowModel: getCoreRowModel(),
    manualSorting: true,
    manualPagination: true,
    getRowId: (r) => r.uuid,
  });
  return (
    <Table data-testid="asset-table">
      <TableHeader>
        {table.getHeaderGroups().map((hg) => (
          <TableRow key={hg.id}>
            {hg.headers.map((h) => (
              <TableHead key={h.id}>{flexRender(h.column.columnDef.header, h.getContext())}</TableHead>
            ))}
          </TableRow>
        ))}
      </TableHeader>
      <TableBody>
        {table.getRowModel().rows.length === 0 ? (
          <TableRow>
            <TableCell colSpan={10} className="py-8 text-center text-muted-foreground">
              {t('assets.noResults')}
            </TableCell>
          </TableRow>
        ) : (
          table.getRowModel().rows.map((row) => (
            <TableRow key={row.id} data-testid="asset-row" data-kind={row.original.kind}>
              {row.getVisibleCells().map((cell) => (
                <TableCell key={cell.id} className="max-w-72">
                  {flexRender(cell.column.columnDef.cell, cell.getContext())}
                </TableCell>
              ))}
            </TableRow>
          ))
        )}
      </TableBody>
    </Table>
  );
}
