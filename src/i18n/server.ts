// Locale and translator for server components and route handlers.
import { cookies, headers } from 'next/headers';
import { createTranslator, LOCALE_COOKIE, resolveLocale, type Locale, type Translate } from './index';

export async function getLocale(): Promise<Locale> {
  const [c, h] = await Promise.all([cookies(), headers()]);
  return resolveLocale(c.get(LOCALE_COOKIE)?.value, h.get('accept-language'));
}

export async function getTranslator(): Promise<{ locale: Locale; t: Translate }> {
  const locale = await getLocale();
  return { locale, t: createTranslator(locale) };
}
