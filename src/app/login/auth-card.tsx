import { ShieldCheck } from 'lucide-react';
import { LocaleSwitcher } from '@/components/app-shell';
import { Card, CardContent } from '@/components/ui/card';

/** The centred card the sign-in and change-password forms sit in. */
export function AuthCard({
  title,
  subtitle,
  children,
}: {
  title: string;
  subtitle?: string;
  children: React.ReactNode;
}) {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-4 p-4">
      <Card className="w-full max-w-sm">
        <CardContent className="flex flex-col gap-4 p-6">
          <div className="flex items-center gap-2">
            <ShieldCheck className="size-6 text-primary" />
            <div>
              <h1 className="text-lg font-semibold">{title}</h1>
              {subtitle && <p className="text-sm text-muted-foreground">{subtitle}</p>}
            </div>
          </div>
          {children}
        </CardContent>
      </Card>
      <LocaleSwitcher />
    </main>
  );
}
