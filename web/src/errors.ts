/**
 * Problem details (RFC 9457) into words next to the right field: `errors[].field` (`body.weight_kg`)
 * names the input; a domain refusal without a field is placed by its stable `code`; the rest
 * (`detail`) goes to the top of the form. Schema messages are rephrased in plain words and in the
 * person's units.
 */
import { ApiError } from './api/client.ts';
import { formatLimit, type Quantity, type Units } from './units.ts';

export interface FormErrors {
  top: string | null;
  fields: Record<string, string>;
}

export const noErrors: FormErrors = { top: null, fields: {} };

/** Domain refusals (400/403/409) that concern one input (the first of these fields the form shows). */
const FIELD_OF_CODE: Record<string, string | string[]> = {
  email_taken: ['email', 'new_email'],
  target_below_safe_minimum: 'target_body_fat_percentage',
  target_not_below_current: 'target_body_fat_percentage',
  target_required: 'target_body_fat_percentage',
  ceiling_above_maximum: 'ceiling_body_fat_percentage',
  ceiling_not_above_current: 'ceiling_body_fat_percentage',
  ceiling_required: 'ceiling_body_fat_percentage',
  navy_waist_not_above_neck: 'waist_cm',
  navy_waist_hip_not_above_neck: ['waist_cm', 'hip_cm'],
  measurement_not_after_previous: 'measured_at',
  password_mismatch: ['current_password', 'password'],
};

function quantityOf(field: string): Quantity | null {
  if (field === 'weight_kg') return 'weight';
  if (field === 'height_cm') return 'height';
  if (field.endsWith('_cm')) return 'tape';
  if (field.endsWith('_mm')) return 'skinfold';
  if (field.endsWith('_percentage')) return 'percent';
  return null;
}

const BOUND: Record<string, string> = { '>=': 'at least', '<=': 'at most', '>': 'more than', '<': 'less than' };

export function plainMessage(field: string, message: string, units: Units): string {
  const bound = /^must be (>=|<=|>|<) (-?[\d.]+)$/.exec(message);
  if (bound) {
    const quantity = quantityOf(field);
    const limit = Number(bound[2]);
    const operator = bound[1] ?? '>=';
    const shown = quantity ? formatLimit(quantity, limit, units, operator.startsWith('>') ? 'min' : 'max') : String(limit);
    return `Must be ${BOUND[operator]} ${shown}.`;
  }
  const length = /^must NOT have (fewer|more) than (\d+) characters$/.exec(message);
  if (length) return `Must be ${length[1] === 'fewer' ? 'at least' : 'at most'} ${length[2]} characters.`;
  if (message === 'Field required') return 'This is required.';
  if (message === 'must be number' || message === 'must be integer') return 'Enter a number.';
  if (message === 'must be one of the allowed values') return 'Choose one of the options.';
  if (message.startsWith('must match format "email"')) return 'Enter an email address like name@example.com.';
  if (message.startsWith('must match format "uuid"')) return 'Choose one of the options.';
  if (message.startsWith('must match pattern')) {
    if (field === 'date_of_birth') return 'Enter a date.';
    if (field === 'measured_at') return 'Enter a date and time.';
    return 'Enter some text.';
  }
  // A fragment about the value itself ("is already your email") reads as a sentence about it.
  if (message.startsWith('is ')) return `This ${message}${/[.!?]$/.test(message) ? '' : '.'}`;
  const text = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** Sorts an error into field messages and a top message. `known` lists the fields this form shows. */
export function toFormErrors(error: unknown, known: readonly string[], units: Units): FormErrors {
  if (!(error instanceof ApiError)) return { top: 'Something went wrong. Please try again.', fields: {} };
  const { problem } = error;
  const fields: Record<string, string> = {};
  const unplaced: string[] = [];
  for (const issue of problem.errors ?? []) {
    const name = issue.field.replace(/^(body|query|path)\./, '');
    if (known.includes(name)) fields[name] ??= plainMessage(name, issue.message, units);
    else unplaced.push(plainMessage(name, issue.message, units));
  }
  const coded = [problem.code ? (FIELD_OF_CODE[problem.code] ?? []) : []].flat().find((field) => known.includes(field));
  if (coded && !fields[coded]) fields[coded] = problem.detail;
  const placed = Object.keys(fields).length > 0;
  let top: string | null = null;
  if (!placed) top = unplaced.length ? unplaced.join(' ') : problem.detail;
  else if (unplaced.length) top = unplaced.join(' ');
  else if (problem.status !== 422 && !coded) top = problem.detail;
  if (placed && !top)
    top = Object.keys(fields).length === 1 ? 'Please correct the field marked below.' : 'Please correct the fields marked below.';
  return { top, fields };
}
