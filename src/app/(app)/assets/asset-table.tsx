'use client';
// The dense asset list: one line per row, the columns the user chose, every value through the field
// dictionary (labels, units, translated enums). Sorting and paging happen in PostgreSQL; headers of
// sortable fields link to new sorts.
import Link from 'next/link';
import { usePathname, useSearchParams } from 'next/navigation';
import { ArrowDown, ArrowUp, ArrowUpDown } from 'lucide-react';
import { Badge } from '@/components/ui/badge';
import {
  Table,
  TableBody,
  TableCell,
  TableEmptyRow,
  TableHead,
  TableHeader,
  TableRow,
} from '@/components/ui/table';
import { translateOr } from '@/i18n';
import { useLocale, useT } from '@/i18n/client';
import { SelectPage, SelectRow } from '@/components/ledger/selection';
import { fieldByKey, formatField, type FieldDef } from '@/server/fields/dictionary';

export type AssetRow = {
  uuid: string;
  kind: string;
  status: string;
  /** false: VMware Tools not running, so the guest fields are blank for that reason. */
  toolsRunning: boolean | null;
  /** Values of the chosen columns, by field key (`ledger.<key>` for ledger fields). */
  values: Record<string, unknown>;
};

// Guest facts a VM only reports while VMware Tools run.
const GUEST_FIELDS = new Set(['hostname', 'ipAddresses', 'osName']);

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
      className="inline-flex items-center gap-1 rounded hover:text-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
      aria-label={t('assets.sortBy', { column: label })}
      aria-sort={active ? (desc ? 'descending' : 'ascending') : undefined}
      data-sort={column}
    >
      {label}
      <Icon className={active ? 'size-3.5' : 'size-3.5 opacity-40'} />
    </Link>
  );
}

/** "10.0.0.5 +2": the first address, the rest on hover (title) and for screen readers. */
function FirstPlus({ list }: { list: string[] }) {
  if (list.length === 0) return <>—</>;
  return (
    <span title={list.join('\n')} className="font-mono" data-testid="first-plus">
      {list[0]}
      {list.length > 1 && <span className="ml-1 text-muted-foreground">+{list.length - 1}</span>}
      {list.length > 1 && <span className="sr-only">, {list.slice(1).join(', ')}</span>}
    </span>
  );
}

export function AssetTable({
  rows,
  columns,
  selectable = false,
  ledgerDefs = [],
}: {
  rows: AssetRow[];
  columns: string[];
  /** Row selection for the ledger's bulk edit (src/components/ledger): drawn only inside its provider. */
  selectable?: boolean;
  /** Dictionary entries of the chosen ledger fields (made from their definitions on the server). */
  ledgerDefs?: FieldDef[];
}) {
  const t = useT();
  const locale = useLocale();
  const defs = columns
    .map((k) => fieldByKey(k) ?? ledgerDefs.find((d) => d.key === k))
    .filter((d): d is FieldDef => Boolean(d));
  const cell = (def: FieldDef, r: AssetRow) => {
    const v = r.values[def.key];
    const empty = v === null || v === undefined || (Array.isArray(v) && v.length === 0);
    if (empty && r.kind === 'vm' && r.toolsRunning === false && GUEST_FIELDS.has(def.key)) {
      return <span className="italic text-muted-foreground">{t('assets.toolsNotRunning')}</span>;
    }
    if (def.key === 'name') {
      const name = typeof v === 'string' && v ? v : r.uuid;
      return (
        <Link
          href={`/assets/${r.uuid}`}
          className="font-medium text-primary hover:underline"
          data-testid="asset-link"
          title={name}
        >
          {name}
        </Link>
      );
    }
    if (def.key === 'kind') return translateOr(t, `kind.${r.kind}`, r.kind);
    if (def.key === 'status') {
      return (
        <Badge variant={r.status === 'active' ? 'success' : 'warning'}>{formatField(def, v, locale)}</Badge>
      );
    }
    if (
      def.type === 'list' &&
      Array.isArray(v) &&
      (def.key === 'ipAddresses' || def.key === 'macAddresses')
    ) {
      return <FirstPlus list={v.map(String)} />;
    }
    const text = formatField(def, v, locale);
    return <span title={text}>{text}</span>;
  };
  const numeric = (d: FieldDef) =>
    d.type === 'count' || d.type === 'bytes' || d.type === 'mhz' || d.type === 'number';
  return (
    <Table data-testid="asset-table" className="text-xs">
      <TableHeader>
        <TableRow>
          {selectable && (
            <TableHead className="h-7 w-8 px-2">
              <SelectPage uuids={rows.map((r) => r.uuid)} />
            </TableHead>
          )}
          {defs.map((d) => (
            <TableHead
              key={d.key}
              className={numeric(d) ? 'h-7 px-2 text-right' : 'h-7 px-2'}
              data-column={d.key}
            >
              {d.sortable ? <SortHeader column={d.key} label={d.label[locale]} /> : d.label[locale]}
            </TableHead>
          ))}
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.length === 0 ? (
          <TableEmptyRow colSpan={defs.length + (selectable ? 1 : 0)}>{t('assets.noResults')}</TableEmptyRow>
        ) : (
          rows.map((r) => (
            <TableRow key={r.uuid} data-testid="asset-row" data-kind={r.kind} data-status={r.status}>
              {selectable && (
                <TableCell className="w-8 px-2 py-0 leading-none">
                  <SelectRow uuid={r.uuid} name={String(r.values.name ?? r.uuid)} />
                </TableCell>
              )}
              {defs.map((d) => (
                <TableCell
                  key={d.key}
                  data-column={d.key}
                  className={
                    'max-w-56 truncate whitespace-nowrap px-2 py-0 leading-[22px] ' +
                    (numeric(d) ? 'text-right tabular-nums' : '')
                  }
                >
                  {cell(d, r)}
                </TableCell>
              ))}
            </TableRow>
          ))
        )}
      </TableBody>
    </Table>
  );
}
