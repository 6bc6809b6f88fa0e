import { PageHeader } from '@/components/app-shell';
import { getTranslator } from '@/i18n/server';
import { requirePageSession } from '@/server/auth/page';
import { ImportForm } from './import-form';

export const dynamic = 'force-dynamic';

export default async function ImportPage() {
  await requirePageSession({ role: 'editor', next: '/imports' });
  const { t } = await getTranslator();
  return (
    <div className="flex flex-col gap-3">
      <PageHeader title={t('ledger.importTitle')} />
      <p className="max-w-3xl text-sm text-muted-foreground">{t('ledger.importHint')}</p>
      <ImportForm />
    </div>
  );
}
