/**
 * Heights that survive unit switches and saves, limits shown so that the value shown is accepted,
 * errors on the inputs that take focus, error placement and wording, and where sign-in may send.
 */
import type { VNode } from 'preact';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api/client.ts';
import { InputField, RadioGroup } from '../src/components/forms.tsx';
import { convertHeight, HeightField, heightCm, type HeightInput, heightInputOf } from '../src/components/heightField.tsx';
import { plainMessage, toFormErrors } from '../src/errors.ts';
import { formatKcal } from '../src/format.ts';
import { safeNext } from '../src/nextPath.ts';
import { toMetric, type Units } from '../src/units.ts';

/** Renders hook-free components to their element tree (no DOM here): enough to read attributes. */
function expand(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(expand);
  if (!node || typeof node !== 'object' || !('type' in node)) return node;
  const vnode = node as VNode<Record<string, unknown>>;
  if (typeof vnode.type === 'function') return expand((vnode.type as (props: unknown) => unknown)(vnode.props));
  return { ...vnode, props: { ...vnode.props, children: expand(vnode.props.children) } };
}

function elements(node: unknown, type: string): Record<string, unknown>[] {
  if (Array.isArray(node)) return node.flatMap((child) => elements(child, type));
  if (!node || typeof node !== 'object' || !('props' in node)) return [];
  const vnode = node as VNode<Record<string, unknown>>;
  return [...(vnode.type === type ? [vnode.props] : []), ...elements(vnode.props.children, type)];
}

const ids = (value: unknown) => String(value ?? '').split(' ');

describe('height', () => {
  const wholeCm = Array.from({ length: 51 }, (_, i) => 150 + i);

  it('keeps a stored height exactly when saved in feet and inches that were not edited', () => {
    for (const cm of [...wholeCm, 172.5, 168.3, 182.88, 120, 250]) expect(heightCm(true, heightInputOf(cm))).toBe(cm);
  });

  it('round-trips a typed cm through imperial and back without drift', () => {
    for (const cm of [...wholeCm, 172.5]) {
      const typed: HeightInput = { cm: String(cm), feet: '', inches: '' };
      const back = convertHeight(convertHeight(typed, true), false);
      expect(back.cm).toBe(String(cm));
      // Back and forth again: still the same.
      expect(convertHeight(convertHeight(back, true), false).cm).toBe(String(cm));
    }
    expect(convertHeight({ cm: '180,5', feet: '', inches: '' }, true)).toMatchObject({ cm: '180,5', feet: '5', inches: '11.1' });
    expect(convertHeight({ cm: '180,5', feet: '5', inches: '11.1' }, false).cm).toBe('180,5');
  });

  it('converts feet and inches the person changed', () => {
    expect(heightCm(true, { ...heightInputOf(180), inches: '11' })).toBe(180.3);
    expect(convertHeight({ ...heightInputOf(180), feet: '6', inches: '0' }, false).cm).toBe('182.9');
    expect(heightCm(true, { cm: '', feet: '5', inches: '10' })).toBe(177.8);
  });
});

describe('limits in the person’s units', () => {
  // The schemas' limits (users and measurements): the value shown, typed back, must be accepted.
  const limits: { field: string; operator: '>=' | '<='; metric: number }[] = [
    { field: 'weight_kg', operator: '>=', metric: 30 },
    { field: 'weight_kg', operator: '<=', metric: 300 },
    { field: 'waist_cm', operator: '>=', metric: 10 },
    { field: 'neck_cm', operator: '<=', metric: 200 },
    { field: 'height_cm', operator: '>=', metric: 120 },
    { field: 'height_cm', operator: '<=', metric: 250 },
  ];

  it('rounds a minimum up and a maximum down, so the value shown is itself accepted', () => {
    expect(plainMessage('weight_kg', 'must be >= 30', 'imperial')).toBe('Must be at least 66.2 lb.');
    expect(plainMessage('weight_kg', 'must be <= 300', 'imperial')).toBe('Must be at most 661.3 lb.');
    expect(plainMessage('waist_cm', 'must be >= 10', 'imperial')).toBe('Must be at least 4 in.');
    expect(plainMessage('hip_cm', 'must be <= 200', 'imperial')).toBe('Must be at most 78.7 in.');
    for (const { field, operator, metric } of limits) {
      const shown = plainMessage(field, `must be ${operator} ${metric}`, 'imperial');
      const typed =
        field === 'height_cm'
          ? (heightCm(true, { cm: '', feet: /(\d+) ft/.exec(shown)![1]!, inches: /([\d.]+) in/.exec(shown)![1]! }) as number)
          : toMetric(field === 'weight_kg' ? 'weight' : 'tape', Number(/([\d.]+) (lb|in)/.exec(shown)![1]), 'imperial');
      if (operator === '>=') expect(typed, shown).toBeGreaterThanOrEqual(metric);
      else expect(typed, shown).toBeLessThanOrEqual(metric);
    }
  });

  it('phrases imperial height limits in feet and inches, like the inputs', () => {
    expect(plainMessage('height_cm', 'must be >= 120', 'imperial')).toBe('Must be at least 3 ft 11.3 in.');
    expect(plainMessage('height_cm', 'must be <= 250', 'imperial')).toBe('Must be at most 8 ft 2.4 in.');
  });

  it('shows metric limits as they are', () => {
    const metric: Units = 'metric';
    expect(plainMessage('weight_kg', 'must be >= 30', metric)).toBe('Must be at least 30 kg.');
    expect(plainMessage('height_cm', 'must be >= 120', metric)).toBe('Must be at least 120 cm.');
    expect(plainMessage('waist_cm', 'must be >= 10', metric)).toBe('Must be at least 10 cm.');
    expect(plainMessage('chest_mm', 'must be <= 70', 'imperial')).toBe('Must be at most 70 mm.');
    expect(plainMessage('weekly_rate_percent', 'must be >= 0.1', metric)).toBe('Must be at least 0.1.');
  });
});

describe('error placement and wording', () => {
  it('puts a woman’s Navy refusal (waist plus hip not above the neck) next to Waist', () => {
    const refused = new ApiError({
      status: 400,
      detail: 'For the Navy method waist plus hip must be larger than the neck.',
      code: 'navy_waist_hip_not_above_neck',
    });
    expect(toFormErrors(refused, ['weight_kg', 'waist_cm', 'neck_cm', 'hip_cm'], 'metric')).toEqual({
      top: 'Please correct the field marked below.',
      fields: { waist_cm: 'For the Navy method waist plus hip must be larger than the neck.' },
    });
  });

  it('says an unchanged email in a sentence', () => {
    const unchanged = new ApiError({
      status: 422,
      detail: 'The new email is the one you already have',
      code: 'email_unchanged',
      errors: [{ field: 'body.new_email', message: 'is already your email' }],
    });
    expect(toFormErrors(unchanged, ['new_email', 'password'], 'metric').fields).toEqual({ new_email: 'This is already your email.' });
  });
});

describe('errors on grouped inputs', () => {
  const options = [
    { value: 'male', label: 'Male' },
    { value: 'female', label: 'Female', description: 'Hip too, for Navy' },
  ];

  it('marks each radio invalid and describes it by the group’s error, not the fieldset', () => {
    const tree = expand(
      RadioGroup({ name: 'gender', legend: 'Sex', value: '', onValue: () => {}, options, error: 'Choose one.', hint: 'A hint.' }),
    );
    const [fieldset] = elements(tree, 'fieldset');
    expect(fieldset?.['aria-invalid']).toBeUndefined();
    expect(ids(fieldset?.['aria-describedby'])).toEqual(['gender-hint']);
    const radios = elements(tree, 'input');
    expect(radios).toHaveLength(2);
    for (const radio of radios) {
      expect(radio['aria-invalid']).toBe('true');
      expect(ids(radio['aria-describedby'])).toContain('gender-error');
    }
    expect(ids(radios[1]?.['aria-describedby'])).toEqual(['gender-female-description', 'gender-error']);
    expect(elements(tree, 'p').map((p) => p.id)).toContain('gender-error');
  });

  it('leaves radios without an error unmarked', () => {
    const radios = elements(expand(RadioGroup({ name: 'gender', legend: 'Sex', value: 'male', onValue: () => {}, options })), 'input');
    expect(radios.map((radio) => [radio['aria-invalid'], radio['aria-describedby']])).toEqual([
      [undefined, undefined],
      [undefined, 'gender-female-description'],
    ]);
  });

  it('ties an imperial height error to the Feet and Inches inputs', () => {
    const tree = expand(
      HeightField({ imperial: true, value: heightInputOf(180), onChange: () => {}, error: 'Must be at least 3 ft 11.3 in.' }),
    );
    expect(elements(tree, 'fieldset')[0]?.['aria-invalid']).toBeUndefined();
    const inputs = elements(tree, 'input');
    expect(inputs.map((input) => input.id)).toEqual(['height_ft', 'height_in']);
    for (const input of inputs) {
      expect(input['aria-invalid']).toBe('true');
      expect(ids(input['aria-describedby'])).toEqual(['height_cm-error']);
    }
    // One message, under the pair; none per input.
    expect(elements(tree, 'p').map((p) => p.id)).toEqual(['height_cm-error']);
    expect(
      elements(expand(HeightField({ imperial: true, value: heightInputOf(180), onChange: () => {} })), 'input').map(
        (i) => i['aria-invalid'],
      ),
    ).toEqual([undefined, undefined]);
  });

  it('still describes a single input by its own hint and error', () => {
    const [input] = elements(
      expand(InputField({ id: 'email', label: 'Email', value: '', onValue: () => {}, hint: 'h', error: 'e' })),
      'input',
    );
    expect(input?.['aria-invalid']).toBe('true');
    expect(input?.['aria-describedby']).toBe('email-hint email-error');
  });
});

describe('where sign-in sends the person', () => {
  it('follows only paths of this app', () => {
    expect(safeNext('/plans')).toBe('/plans');
    expect(safeNext('/history?from=2026-01-01#top')).toBe('/history?from=2026-01-01#top');
    expect(safeNext('/')).toBe('/');
    for (const next of [
      null,
      '',
      'plans',
      '//evil.example',
      '/\\evil.example',
      '/\\/evil.example',
      '\\\\evil.example',
      '/\t/evil.example',
      'https://evil.example/',
      'javascript:alert(1)',
    ]) {
      expect(safeNext(next), String(next)).toBe('/');
    }
  });
});

describe('calories', () => {
  it('formats every figure the same way: whole kcal, grouped by the locale', () => {
    const grouped = new Intl.NumberFormat().format(2450);
    expect(formatKcal(2450)).toBe(`${grouped} kcal`);
    expect(formatKcal(2449.6)).toBe(`${grouped} kcal`);
  });
});
