import Link from 'next/link';
import { Compass } from 'lucide-react';
import { buttonVariants } from '@/components/ui/button';
import { getTranslator } from '@/i18n/server';

// The one "not found" page (unknown URLs and notFound() in pages), in the reader's language, with a way back.
export default async function NotFound() {
  const { t } = await getTranslator();
  return (
    <main className="flex min-h-screen items-center justify-center p-6" data-testid="not-found">
      <div className="flex max-w-md flex-col items-center gap-4 text-center">
        <Compass className="size-10 text-muted-foreground" aria-hidden />
        <h1 className="text-xl font-semibold">{t('notFound.title')}</h1>
        <p className="text-sm text-muted-foreground">{t('notFound.explain')}</p>
        <div className="flex gap-2">
          <Link href="/" className={buttonVariants({ variant: 'default', size: 'sm' })}>
            {t('notFound.home')}
          </Link>
          <Link href="/assets" className={buttonVariants({ variant: 'outline', size: 'sm' })}>
            {t('notFound.assets')}
          </Link>
        </div>
      </div>
    </main>
  );
}
