// A field's value through the dictionary: text for most, a small table for disks, NICs and datastores.
// No hooks: usable from server and client components alike.
import type { Locale } from '@/i18n';
import { formatField, type FieldDef } from '@/server/fields/dictionary';

export function FieldValue({ def, value, locale }: { def: FieldDef; value: unknown; locale: Locale }) {
  if (def.type !== 'table' || !Array.isArray(value) || value.length === 0 || !def.columns) {
    return <>{formatField(def, value, locale)}</>;
  }
  const cols = def.columns;
  return (
    <table className="text-xs" data-testid={`table-${def.key}`}>
      <thead>
        <tr className="text-muted-foreground">
          {cols.map((c) => (
            <th key={c.key} className="pr-4 text-left font-normal">
              {c.label[locale]}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {value.map((row, i) => (
          <tr key={i}>
            {cols.map((c) => (
              <td key={c.key} className="pr-4 whitespace-nowrap">
                {formatField(
                  c,
                  row && typeof row === 'object' ? (row as Record<string, unknown>)[c.path] : undefined,
                  locale,
                )}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
