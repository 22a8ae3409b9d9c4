/**
 * Height in cm, or in feet and inches when the person prefers imperial units. The cm value is the
 * one kept: feet and inches filled from it are shown to 0.1 in, so converting them back would move
 * the height (180 cm → 5 ft 10.9 in → 180.1 cm). Only feet and inches the person changed are converted.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { cmToFeetInches, feetInchesToCm } from '../units.ts';
import { FieldError, NumberField } from './forms.tsx';
import { parseNumber } from './measurementForm.tsx';

export interface HeightInput {
  cm: string;
  feet: string;
  inches: string;
}

/** The inputs for a stored height: the cm as stored, feet and inches filled from it. */
export function heightInputOf(cm: number): HeightInput {
  const { feet, inches } = cmToFeetInches(cm);
  return { cm: String(cm), feet: String(feet), inches: String(inches) };
}

export function HeightField({
  imperial,
  value,
  onChange,
  error,
}: {
  imperial: boolean;
  value: HeightInput;
  onChange: (value: HeightInput) => void;
  error?: string | undefined;
}) {
  if (!imperial) {
    return (
      <NumberField id="height_cm" label="Height" unit="cm" value={value.cm} onValue={(cm) => onChange({ ...value, cm })} error={error} />
    );
  }
  // The error belongs to both inputs (aria-invalid is not supported on the fieldset's group role):
  // whichever gets focus reads it.
  const errorId = error ? 'height_cm-error' : undefined;
  return (
    <fieldset class={`field height${error ? ' has-error' : ''}`}>
      <legend>Height</legend>
      <div class="pair">
        <NumberField
          id="height_ft"
          label="Feet"
          value={value.feet}
          onValue={(feet) => onChange({ ...value, feet })}
          groupErrorId={errorId}
        />
        <NumberField
          id="height_in"
          label="Inches"
          value={value.inches}
          onValue={(inches) => onChange({ ...value, inches })}
          groupErrorId={errorId}
        />
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
  const cm = parseNumber(value.cm);
  if (cm !== null) {
    // Feet and inches still showing the cm value: the exact cm, not its 0.1-in rounding.
    const shown = cmToFeetInches(cm);
    if (shown.feet === feet && shown.inches === inches) return cm;
  }
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
  if (typeof cm === 'string' || cm === parseNumber(value.cm)) return value;
  return { ...value, cm: String(cm) };
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
