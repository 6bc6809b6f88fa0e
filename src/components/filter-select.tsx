import { Label, Select } from '@/components/ui/input';
import { cn } from '@/components/ui/cn';

/** One labelled filter of a list page's GET form: "all" (empty) or one of `options`. */
export function FilterSelect({
  name,
  label,
  allLabel,
  options,
  value,
  className,
}: {
  name: string;
  label: string;
  allLabel: string;
  options: { value: string; label: string }[];
  value?: string;
  className?: string;
}) {
  return (
    <div className={cn('flex flex-1 flex-col gap-1', className)}>
      <Label htmlFor={`f-${name}`}>{label}</Label>
      <Select id={`f-${name}`} name={name} defaultValue={value ?? ''}>
        <option value="">{allLabel}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </Select>
    </div>
  );
}
