'use client';
// Client side of the dictionary: the server layout passes the locale, client components call useT().
import { createContext, useContext, useMemo } from 'react';
import { createTranslator, DEFAULT_LOCALE, type Locale, type Translate } from './index';

const LocaleContext = createContext<Locale>(DEFAULT_LOCALE);

export function I18nProvider({ locale, children }: { locale: Locale; children: React.ReactNode }) {
  return <LocaleContext.Provider value={locale}>{children}</LocaleContext.Provider>;
}

export function useLocale(): Locale {
  return useContext(LocaleContext);
}

export function useT(): Translate {
  const locale = useLocale();
  return useMemo(() => createTranslator(locale), [locale]);
}
