/**
 * Labelled inputs: every input has a visible label, its hint and its error are tied to it with
 * aria-describedby, and an error marks it aria-invalid. Forms keep what was typed on errors.
 */
import type { ComponentChildren, InputHTMLAttributes, LooseInputHTMLAttributes, Ref } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

const describedBy = (id: string, hint?: string, error?: string, groupErrorId?: string) =>
  [hint ? `${id}-hint` : null, error ? `${id}-error` : null, groupErrorId ?? null].filter(Boolean).join(' ') || undefined;

function Hint({ id, text }: { id: string; text?: string | undefined }) {
  return text ? (
    <p class="hint" id={`${id}-hint`}>
      {text}
    </p>
  ) : null;
}

export function FieldError({ id, text }: { id: string; text?: string | undefined }) {
  return text ? (
    <p class="field-error" id={`${id}-error`}>
      {text}
    </p>
  ) : null;
}

type InputProps = {
  id: string;
  type?: 'text' | 'email' | 'password' | 'date' | 'datetime-local';
  inputMode?: 'decimal' | 'text' | 'email';
  autoComplete?: string;
  spellcheck?: boolean;
  maxLength?: number;
  label: string;
  value: string;
  onValue: (value: string) => void;
  hint?: string | undefined;
  error?: string | undefined;
  /** The id of an error shown for the whole group this input is in (feet + inches): marks it invalid too. */
  groupErrorId?: string | undefined;
  unit?: string | undefined;
  inputRef?: Ref<HTMLInputElement> | undefined;
};

export function InputField({ id, label, value, onValue, hint, error, groupErrorId, unit, inputRef, ...rest }: InputProps) {
  // One loose attribute object: Preact 11 types <input> as a union keyed by a literal `type`.
  const attributes: LooseInputHTMLAttributes<HTMLInputElement> = {
    id,
    name: id,
    value,
    onInput: (event) => onValue(event.currentTarget.value),
    'aria-invalid': error || groupErrorId ? 'true' : undefined,
    'aria-describedby': describedBy(id, hint, error, groupErrorId),
    ref: inputRef,
    ...rest,
  };
  return (
    <div class={`field${error ? ' has-error' : ''}`}>
      <label for={id}>
        {label}
        {unit ? <span class="unit"> ({unit})</span> : null}
      </label>
      <Hint id={id} text={hint} />
      <input {...(attributes as InputHTMLAttributes<HTMLInputElement>)} />
      <FieldError id={id} text={error} />
    </div>
  );
}

/** A decimal input: a text box with a numeric keyboard on phones (no spinner surprises). */
export function NumberField(props: InputProps) {
  return <InputField type="text" inputMode="decimal" autoComplete="off" spellcheck={false} {...props} />;
}

type SelectProps = {
  id: string;
  label: string;
  value: string;
  onValue: (value: string) => void;
  options: { value: string; label: string }[];
  hint?: string | undefined;
  error?: string | undefined;
};

export function SelectField({ id, label, value, onValue, options, hint, error }: SelectProps) {
  return (
    <div class={`field${error ? ' has-error' : ''}`}>
      <label for={id}>{label}</label>
      <Hint id={id} text={hint} />
      <select
        id={id}
        name={id}
        value={value}
        onChange={(event) => onValue(event.currentTarget.value)}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, hint, error)}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      <FieldError id={id} text={error} />
    </div>
  );
}

type CheckboxProps = { id: string; label: string; checked: boolean; onChecked: (checked: boolean) => void; hint?: string | undefined };

/** A checkbox with its label beside it and its hint below, read with it. */
export function CheckboxField({ id, label, checked, onChecked, hint }: CheckboxProps) {
  return (
    <div class="field checkbox">
      <div class="check">
        <input
          type="checkbox"
          id={id}
          name={id}
          checked={checked}
          onChange={(event) => onChecked(event.currentTarget.checked)}
          aria-describedby={describedBy(id, hint)}
        />
        <label for={id}>{label}</label>
      </div>
      <Hint id={id} text={hint} />
    </div>
  );
}

type RadioProps = {
  name: string;
  legend: string;
  value: string;
  onValue: (value: string) => void;
  options: { value: string; label: string; description?: string }[];
  error?: string | undefined;
  hint?: string | undefined;
  inline?: boolean;
};

/**
 * The error is tied to each radio, not the fieldset: aria-invalid is not supported on a group, and
 * the radio that takes focus (useFocusFirstError) is what a screen reader reads.
 */
export function RadioGroup({ name, legend, value, onValue, options, error, hint, inline }: RadioProps) {
  return (
    <fieldset class={`field radios${inline ? ' inline' : ''}${error ? ' has-error' : ''}`} aria-describedby={describedBy(name, hint)}>
      <legend>{legend}</legend>
      <Hint id={name} text={hint} />
      {options.map((option) => {
        const id = `${name}-${option.value}`;
        return (
          <div class="radio" key={option.value}>
            <input
              type="radio"
              id={id}
              name={name}
              value={option.value}
              checked={value === option.value}
              onChange={() => onValue(option.value)}
              aria-invalid={error ? 'true' : undefined}
              aria-describedby={
                [option.description ? `${id}-description` : null, error ? `${name}-error` : null].filter(Boolean).join(' ') || undefined
              }
            />
            <label for={id}>
              {option.label}
              {option.description ? (
                <span class="description" id={`${id}-description`}>
                  {option.description}
                </span>
              ) : null}
            </label>
          </div>
        );
      })}
      <FieldError id={name} text={error} />
    </fieldset>
  );
}

/** The form-level message (from a problem's `detail`), announced when it appears. */
export function FormAlert({ text }: { text: string | null }) {
  return text ? (
    <div class="alert alert-error" role="alert">
      {text}
    </div>
  ) : null;
}

export function SubmitButton({ busy, children }: { busy: boolean; children: ComponentChildren }) {
  return (
    <button type="submit" class="button primary" disabled={busy} aria-busy={busy ? 'true' : undefined}>
      {children}
    </button>
  );
}

/** After a failed submit: focus the first field marked invalid so keyboard users land on it. */
export function useFocusFirstError(errors: { top: string | null; fields: Record<string, string> }) {
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (!errors.top && Object.keys(errors.fields).length === 0) return;
    const form = formRef.current;
    const invalid = form?.querySelector<HTMLElement>('[aria-invalid="true"]');
    const target = invalid?.tagName === 'FIELDSET' ? invalid.querySelector<HTMLElement>('input') : invalid;
    target?.focus();
  }, [errors]);
  return formRef;
}
