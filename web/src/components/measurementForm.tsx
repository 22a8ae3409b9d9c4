/**
 * The fields of one measurement: when, weight, and exactly the chosen method's sites, each with
 * its how-to hint. Shared by Log measurement and Log progress.
 */
import type { Method, Sex, SiteKey } from '../api/types.ts';
import { localDateTimeValue } from '../format.ts';
import { METHOD_HINT, sitesFor } from '../methods.ts';
import { toMetric, unitLabel, type Units } from '../units.ts';
import { InputField, NumberField } from './forms.tsx';

export interface MeasurementInput {
  measured_at: string;
  weight: string;
  sites: Partial<Record<SiteKey, string>>;
  notes: string;
}

export const emptyMeasurement = (): MeasurementInput => ({ measured_at: localDateTimeValue(new Date()), weight: '', sites: {}, notes: '' });

/** A draft read back from storage (drafts.ts) has this shape, or is ignored. */
export function isMeasurementInput(value: unknown): value is MeasurementInput {
  if (typeof value !== 'object' || value === null) return false;
  const input = value as Record<string, unknown>;
  return (
    typeof input.measured_at === 'string' &&
    typeof input.weight === 'string' &&
    typeof input.notes === 'string' &&
    typeof input.sites === 'object' &&
    input.sites !== null &&
    Object.values(input.sites).every((v) => typeof v === 'string')
  );
}

/** Whether the person typed something worth keeping: the date alone is only its default. */
export const hasMeasurementInput = (input: MeasurementInput) =>
  input.weight.trim() !== '' || input.notes.trim() !== '' || Object.values(input.sites).some((v) => v?.trim());

/** The input ids are the API's field names, so its `errors[].field` lands on the right input. */
export const measurementFieldIds = (method: Method, sex: Sex) => [
  'measured_at',
  'weight_kg',
  'notes',
  ...sitesFor(method, sex).map((s) => s.key),
];

/** "84,5" (a decimal comma) is 84.5; anything else that is not a number is null. */
export function parseNumber(text: string): number | null {
  const cleaned = text.trim().replace(',', '.');
  if (!/^-?\d+(\.\d+)?$|^-?\.\d+$/.test(cleaned)) return null;
  return Number(cleaned);
}

/** The API body in metric units, or the fields that need fixing first (nothing is sent then). */
export function measurementBody(
  method: Method,
  sex: Sex,
  units: Units,
  input: MeasurementInput,
): { body: Record<string, unknown>; errors: null } | { body: null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const body: Record<string, unknown> = { calculation_method: method };
  const when = input.measured_at ? new Date(input.measured_at) : null;
  if (!when || Number.isNaN(when.getTime())) errors.measured_at = 'Enter the date and time you measured.';
  else body.measured_at = when.toISOString();
  const weight = parseNumber(input.weight);
  if (input.weight.trim() === '') errors.weight_kg = 'Enter your weight.';
  else if (weight === null) errors.weight_kg = 'Enter a number, like 82.5.';
  else body.weight_kg = toMetric('weight', weight, units);
  for (const site of sitesFor(method, sex)) {
    const text = input.sites[site.key] ?? '';
    const value = parseNumber(text);
    if (text.trim() === '') errors[site.key] = `Enter the ${site.label.toLowerCase()} measurement.`;
    else if (value === null) errors[site.key] = 'Enter a number.';
    else body[site.key] = site.kind === 'tape' ? toMetric('tape', value, units) : value;
  }
  if (input.notes.trim()) body.notes = input.notes.trim();
  return Object.keys(errors).length ? { body: null, errors } : { body, errors: null };
}

interface Props {
  method: Method;
  sex: Sex;
  units: Units;
  input: MeasurementInput;
  onChange: (input: MeasurementInput) => void;
  errors: Record<string, string>;
}

export function MeasurementFields({ method, sex, units, input, onChange, errors }: Props) {
  const sites = sitesFor(method, sex);
  return (
    <>
      <InputField
        id="measured_at"
        label="Date and time"
        type="datetime-local"
        value={input.measured_at}
        onValue={(measured_at) => onChange({ ...input, measured_at })}
        error={errors.measured_at}
      />
      <NumberField
        id="weight_kg"
        label="Weight"
        unit={unitLabel('weight', units)}
        hint="Morning weight, after the bathroom and before eating."
        value={input.weight}
        onValue={(weight) => onChange({ ...input, weight })}
        error={errors.weight_kg}
      />
      <fieldset class="sites">
        <legend>{method === 'navy' ? 'Tape measurements' : 'Skinfolds'}</legend>
        <p class="hint">{METHOD_HINT[method]}</p>
        {sites.map((site) => (
          <NumberField
            key={site.key}
            id={site.key}
            label={site.label}
            unit={site.kind === 'tape' ? unitLabel('tape', units) : 'mm'}
            hint={site.hint}
            value={input.sites[site.key] ?? ''}
            onValue={(value) => onChange({ ...input, sites: { ...input.sites, [site.key]: value } })}
            error={errors[site.key]}
          />
        ))}
      </fieldset>
    </>
  );
}
