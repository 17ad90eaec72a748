// A labelled input with its hint and the validation messages main returned for it.

import { type InputHTMLAttributes, type ReactNode, useId } from 'react';
import type { FieldError } from '../../../../contract/dto.ts';

export function messagesFor(errors: readonly FieldError[], field: string): string[] {
  return errors.filter((e) => e.field === field).map((e) => e.message);
}

/** Errors whose field has no input on the form: shown at the top of it. */
export function unplacedErrors(errors: readonly FieldError[], fields: readonly string[]): string[] {
  return errors.filter((e) => !fields.includes(e.field)).map((e) => e.message);
}

export function FormField({
  label,
  hint,
  errors,
  children,
}: {
  label: string;
  hint?: ReactNode;
  errors?: readonly string[];
  /** Renders the control with the ids that tie it to its label, hint and errors. */
  children: (control: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const hasErrors = errors !== undefined && errors.length > 0;
  const describedBy = [hint ? hintId : '', hasErrors ? errorId : ''].filter(Boolean).join(' ');
  return (
    <div className={`form-field${hasErrors ? ' invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children({
        id,
        ...(describedBy ? { 'aria-describedby': describedBy } : {}),
        ...(hasErrors ? { 'aria-invalid': true } : {}),
      })}
      {hint && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
      {hasErrors && (
        <p className="field-error" id={errorId} role="alert">
          {errors.join(' ')}
        </p>
      )}
    </div>
  );
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'id' | 'value' | 'onChange' | 'children'>;

/** A labelled text input bound to one value of a form. */
export function TextField({
  label,
  hint,
  errors,
  value,
  onChange,
  ...input
}: {
  label: string;
  hint?: ReactNode;
  errors?: readonly string[];
  value: string;
  onChange: (value: string) => void;
} & InputProps) {
  return (
    <FormField label={label} hint={hint} errors={errors}>
      {(control) => (
        <input {...control} {...input} value={value} onChange={(e) => onChange(e.currentTarget.value)} />
      )}
    </FormField>
  );
}

/** A labelled select over a fixed set of choices, each with the words shown for it. */
export function ChoiceField<T extends string>({
  label,
  hint,
  errors,
  value,
  labels,
  onChange,
}: {
  label: string;
  hint?: ReactNode;
  errors?: readonly string[];
  value: T;
  labels: Readonly<Record<T, string>>;
  onChange: (value: T) => void;
}) {
  return (
    <FormField label={label} hint={hint} errors={errors}>
      {(control) => (
        <select {...control} value={value} onChange={(e) => onChange(e.currentTarget.value as T)}>
          {(Object.entries(labels) as [T, string][]).map(([choice, words]) => (
            <option key={choice} value={choice}>
              {words}
            </option>
          ))}
        </select>
      )}
    </FormField>
  );
}

/** An on/off setting: a switch with its label and explanation. */
export function Toggle({
  label,
  hint,
  checked,
  disabled,
  error,
  onChange,
}: {
  label: string;
  hint?: string;
  checked: boolean;
  disabled?: boolean;
  error?: string;
  onChange: (checked: boolean) => void;
}) {
  const id = useId();
  return (
    <div className={`toggle-row${error ? ' invalid' : ''}`}>
      <label className="toggle" htmlFor={id}>
        <span className="toggle-text">
          <span className="toggle-label">{label}</span>
          {hint && <span className="field-hint">{hint}</span>}
        </span>
        <input
          id={id}
          type="checkbox"
          role="switch"
          aria-checked={checked}
          className="switch"
          checked={checked}
          disabled={disabled}
          aria-invalid={error ? true : undefined}
          onChange={(e) => onChange(e.currentTarget.checked)}
        />
      </label>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
