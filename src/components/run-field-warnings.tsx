// A run's FIELD_INVALID warnings (DESIGN §6): values the source reported that could not be right, left out
// of the objects that carried them while the run stayed complete. Grouped by field as the worker stores
// them, named with the field dictionary's labels, with a few of the objects and values as examples.
import { Card, CardContent, CardHeader, CardTitle } from '@/components/ui/card';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { translateOr, type Locale, type Translate } from '@/i18n';
import { fieldByPath, fieldLabel } from '@/server/fields/dictionary';

export interface FieldInvalidGroup {
  code: 'FIELD_INVALID';
  field: string;
  count: number;
  examples: { externalKind: string; externalId: string; path: string; value: string }[];
}

export const isFieldInvalid = (w: unknown): w is FieldInvalidGroup =>
  !!w &&
  typeof w === 'object' &&
  (w as { code?: unknown }).code === 'FIELD_INVALID' &&
  typeof (w as { field?: unknown }).field === 'string';

/** `storage.datastores[].free_bytes` → "Datastores › Free" (a table field's column), else the field's label. */
export function invalidFieldLabel(field: string, locale: Locale): string {
  const m = /^(.*)\[\]\.(.+)$/.exec(field);
  if (m) {
    const table = fieldByPath(m[1]!);
    const column = table?.columns?.find((c) => c.path === m[2]);
    if (table && column) return `${table.label[locale]} › ${column.label[locale]}`;
    if (table) return `${table.label[locale]} › ${m[2]}`;
  }
  return fieldLabel(field.replace(/\[\]/g, ''), locale);
}

export function RunFieldWarnings({
  warnings,
  t,
  locale,
}: {
  warnings: unknown[] | null | undefined;
  t: Translate;
  locale: Locale;
}) {
  const groups = (warnings ?? []).filter(isFieldInvalid);
  if (!groups.length) return null;
  const objects = groups.reduce((n, g) => n + g.count, 0);
  return (
    <Card data-testid="run-field-warnings">
      <CardHeader>
        <CardTitle>{t('fieldWarnings.title', { fields: groups.length })}</CardTitle>
      </CardHeader>
      <CardContent className="flex flex-col gap-3">
        <p className="text-sm">{t('fieldWarnings.explain', { n: objects })}</p>
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>{t('fieldWarnings.field')}</TableHead>
              <TableHead className="text-right">{t('fieldWarnings.objects')}</TableHead>
              <TableHead>{t('fieldWarnings.examples')}</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {groups.map((g) => (
              <TableRow key={g.field} data-field={g.field}>
                <TableCell>
                  <div className="font-medium">{invalidFieldLabel(g.field, locale)}</div>
                  <code className="text-xs text-muted-foreground">{g.field}</code>
                </TableCell>
                <TableCell className="text-right tabular-nums">{g.count}</TableCell>
                <TableCell>
                  <ul className="flex flex-col gap-0.5 text-xs">
                    {g.examples.slice(0, 5).map((e, i) => (
                      <li key={i}>
                        {t('fieldWarnings.example', {
                          kind: translateOr(t, `kind.${e.externalKind}`, e.externalKind),
                          id: e.externalId,
                          value: e.value,
                        })}
                      </li>
                    ))}
                    {g.count > Math.min(5, g.examples.length) && (
                      <li className="text-muted-foreground">
                        {t('fieldWarnings.more', { n: g.count - Math.min(5, g.examples.length) })}
                      </li>
                    )}
                  </ul>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </CardContent>
    </Card>
  );
}
