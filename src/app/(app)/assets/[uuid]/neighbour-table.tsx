'use client';
// A small sortable table of the assets around one asset (a host's VMs, a cluster's hosts), with totals.
// Sorted in the browser: these lists are one host's or one cluster's, not the estate.
import { useState } from 'react';
import Link from 'next/link';
import { ArrowDown, ArrowUp, ArrowUpDown } from 'lucide-react';
import {
  Table,
  TableBody,
  TableCell,
  TableEmptyRow,
  TableHead,
  TableHeader,
  TableRow,
} from '@/components/ui/table';

export type NeighbourColumn = { key: string; label: string; numeric?: boolean };
export type NeighbourTableRow = {
  uuid: string;
  /** Display text per column key. */
  cells: Record<string, string>;
  /** Sort value per column key (numbers for sizes and counts). */
  sort: Record<string, string | number | null>;
};

export function NeighbourTable({
  columns,
  rows,
  totals,
  totalLabel,
  emptyLabel,
  testId,
  sortLabel,
}: {
  columns: NeighbourColumn[];
  rows: NeighbourTableRow[];
  totals?: Record<string, string>;
  totalLabel: string;
  emptyLabel: string;
  testId: string;
  sortLabel: string;
}) {
  const [sort, setSort] = useState<{ key: string; desc: boolean }>({ key: columns[0]!.key, desc: false });
  const sorted = [...rows].sort((a, b) => {
    const x = a.sort[sort.key] ?? null;
    const y = b.sort[sort.key] ?? null;
    const c =
      x === null
        ? y === null
          ? 0
          : 1
        : y === null
          ? -1
          : typeof x === 'number' && typeof y === 'number'
            ? x - y
            : String(x).localeCompare(String(y), undefined, { numeric: true });
    return sort.desc ? -c : c;
  });
  return (
    <Table data-testid={testId} className="text-xs">
      <TableHeader>
        <TableRow>
          {columns.map((c) => {
            const active = sort.key === c.key;
            const Icon = !active ? ArrowUpDown : sort.desc ? ArrowDown : ArrowUp;
            return (
              <TableHead key={c.key} className={c.numeric ? 'h-8 px-2 text-right' : 'h-8 px-2'}>
                <button
                  type="button"
                  className="inline-flex cursor-pointer items-center gap-1 hover:text-foreground"
                  aria-label={`${sortLabel}: ${c.label}`}
                  aria-sort={active ? (sort.desc ? 'descending' : 'ascending') : undefined}
                  onClick={() => setSort({ key: c.key, desc: active ? !sort.desc : false })}
                >
                  {c.label}
                  <Icon className={active ? 'size-3.5' : 'size-3.5 opacity-40'} />
                </button>
              </TableHead>
            );
          })}
        </TableRow>
      </TableHeader>
      <TableBody>
        {sorted.length === 0 ? (
          <TableEmptyRow colSpan={columns.length}>{emptyLabel}</TableEmptyRow>
        ) : (
          sorted.map((r) => (
            <TableRow key={r.uuid} data-testid={`${testId}-row`} data-uuid={r.uuid}>
              {columns.map((c, i) => (
                <TableCell
                  key={c.key}
                  className={
                    'max-w-64 truncate whitespace-nowrap px-2 py-1 ' +
                    (c.numeric ? 'text-right tabular-nums' : '')
                  }
                  title={r.cells[c.key]}
                >
                  {i === 0 ? (
                    <Link href={`/assets/${r.uuid}`} className="font-medium text-primary hover:underline">
                      {r.cells[c.key]}
                    </Link>
                  ) : (
                    r.cells[c.key]
                  )}
                </TableCell>
              ))}
            </TableRow>
          ))
        )}
        {totals && sorted.length > 0 && (
          <TableRow className="bg-muted/40 font-medium" data-testid={`${testId}-totals`}>
            {columns.map((c, i) => (
              <TableCell key={c.key} className={'px-2 py-1 ' + (c.numeric ? 'text-right tabular-nums' : '')}>
                {i === 0 ? totalLabel : (totals[c.key] ?? '')}
              </TableCell>
            ))}
          </TableRow>
        )}
      </TableBody>
    </Table>
  );
}
