/** Height in cm, or in feet and inches when the person prefers imperial units. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { cmToFeetInches, feetInchesToCm } from '../units.ts';
import { FieldError, NumberField } from './forms.tsx';
import { parseNumber } from './measurementForm.tsx';

export interface HeightInput { cm: string; feet: string; inches: string }

export function HeightField({ imperial, value, onChange, error }: { imperial: boolean; value: HeightInput; onChange: (value: HeightInput) => void; error?: string | undefined }) {
  if (!imperial) {
    return <NumberField id="height_cm" label="Height" unit="cm" value={value.cm} onValue={(cm) => onChange({ ...value, cm })} error={error} />;
  }
  return (
    <fieldset class={`field height${error ? ' has-error' : ''}`} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? 'height_cm-error' : undefined}>
      <legend>Height</legend>
      <div class="pair">
        <NumberField id="height_ft" label="Feet" value={value.feet} onValue={(feet) => onChange({ ...value, feet })} />
        <NumberField id="height_in" label="Inches" value={value.inches} onValue={(inches) => onChange({ ...value, inches })} />
      </div>
      <FieldError id="height_cm" text={error} />
    </fieldset>
  );
}

/** The height in cm, or a message saying what to fix. */
export function heightCm(imperial: boolean, value: HeightInput): number | string {
  if (!imperial) {
    if (!value.cm.trim()) return 'Enter your height.';
    return parseNumber(value.cm) ?? 'Enter your height in centimetres, like 178.';
  }
  const feet = parseNumber(value.feet);
  const inches = value.inches.trim() === '' ? 0 : parseNumber(value.inches);
  if (feet === null || inches === null) return 'Enter your height in feet and inches, like 5 ft 10 in.';
  return feetInchesToCm(feet, inches);
}

/** Keeps the height when the person switches units: fills the other representation from the one shown. */
export function convertHeight(value: HeightInput, toImperial: boolean): HeightInput {
  if (toImperial) {
    const cm = parseNumber(value.cm);
    if (cm === null) return value;
    const { feet, inches } = cmToFeetInches(cm);
    return { ...value, feet: String(feet), inches: String(inches) };
  }
  const cm = heightCm(true, value);
  return typeof cm === 'string' ? value : { ...value, cm: String(cm) };
}

/** The height input's state, converted whenever the units preference changes. */
export function useHeightInput(initial: () => HeightInput, imperial: boolean) {
  const [height, setHeight] = useState<HeightInput>(initial);
  const shown = useRef(imperial);
  useEffect(() => {
    if (shown.current === imperial) return;
    shown.current = imperial;
    setHeight((value) => convertHeight(value, imperial));
  }, [imperial]);
  return [height, setHeight] as const;
}
