'use client';
// Row selection for the asset list (issue 13): a provider around the list, a checkbox per row and one for
// the page. The bulk-edit bar reads the selection from it. Own module: the list's layout stays `ui`'s.
import { createContext, useContext, useMemo, useState } from 'react';
import { Checkbox } from '@/components/ui/input';
import { useT } from '@/i18n/client';

type Selection = {
  selected: ReadonlySet<string>;
  toggle: (uuid: string, on: boolean) => void;
  setMany: (uuids: string[], on: boolean) => void;
  clear: () => void;
};

const Ctx = createContext<Selection | null>(null);

export function SelectionProvider({ children }: { children: React.ReactNode }) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const value = useMemo<Selection>(
    () => ({
      selected,
      toggle: (uuid, on) =>
        setSelected((s) => {
          const n = new Set(s);
          if (on) n.add(uuid);
          else n.delete(uuid);
          return n;
        }),
      setMany: (uuids, on) =>
        setSelected((s) => {
          const n = new Set(s);
          for (const u of uuids)
            if (on) n.add(u);
            else n.delete(u);
          return n;
        }),
      clear: () => setSelected(new Set()),
    }),
    [selected],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

/** The selection, or null outside a provider (then no checkboxes are drawn). */
export const useSelection = () => useContext(Ctx);

export function SelectRow({ uuid, name }: { uuid: string; name: string }) {
  const t = useT();
  const s = useSelection();
  if (!s) return null;
  return (
    <Checkbox
      aria-label={t('ledger.selectRow', { name })}
      checked={s.selected.has(uuid)}
      onChange={(e) => s.toggle(uuid, e.target.checked)}
      data-testid="select-row"
    />
  );
}

export function SelectPage({ uuids }: { uuids: string[] }) {
  const t = useT();
  const s = useSelection();
  if (!s) return null;
  const all = uuids.length > 0 && uuids.every((u) => s.selected.has(u));
  return (
    <Checkbox
      aria-label={t('ledger.selectAll')}
      checked={all}
      onChange={(e) => s.setMany(uuids, e.target.checked)}
      data-testid="select-page"
    />
  );
}
