/**
 * Which sites each body-fat method needs, with a one-line how-to for each (docs/SCIENCE.md 1). Navy: tape at
 * waist and neck, and hip for women; Jackson–Pollock skinfolds: the sex's three sites, or seven.
 */
import { MEASURED_SITES } from './api/generated/rules.ts';
import type { ActivityLevel, Method, Sex, SiteKey } from './api/types.ts';

export interface Site {
  key: SiteKey;
  label: string;
  kind: 'tape' | 'skinfold';
  hint: string;
}

export const SITES: Record<SiteKey, Site> = {
  waist_cm: {
    key: 'waist_cm',
    label: 'Waist',
    kind: 'tape',
    hint: 'Tape level around the belly at the navel, relaxed, after breathing out.',
  },
  neck_cm: { key: 'neck_cm', label: 'Neck', kind: 'tape', hint: 'Just below the Adam’s apple, tape sloping slightly down to the front.' },
  hip_cm: { key: 'hip_cm', label: 'Hip', kind: 'tape', hint: 'Around the widest part of the buttocks, feet together.' },
  chest_mm: {
    key: 'chest_mm',
    label: 'Chest',
    kind: 'skinfold',
    hint: 'Diagonal fold halfway between the front of the armpit and the nipple.',
  },
  abdomen_mm: { key: 'abdomen_mm', label: 'Abdomen', kind: 'skinfold', hint: 'Vertical fold 2 cm to the right of the navel.' },
  thigh_mm: {
    key: 'thigh_mm',
    label: 'Thigh',
    kind: 'skinfold',
    hint: 'Vertical fold on the front of the thigh, halfway between hip crease and kneecap.',
  },
  tricep_mm: {
    key: 'tricep_mm',
    label: 'Triceps',
    kind: 'skinfold',
    hint: 'Vertical fold on the back of the upper arm, halfway between shoulder and elbow.',
  },
  suprailiac_mm: {
    key: 'suprailiac_mm',
    label: 'Suprailiac',
    kind: 'skinfold',
    hint: 'Diagonal fold just above the front of the hip bone.',
  },
  midaxillary_mm: {
    key: 'midaxillary_mm',
    label: 'Midaxillary',
    kind: 'skinfold',
    hint: 'Vertical fold on the side of the chest, level with the bottom of the breastbone.',
  },
  subscapular_mm: {
    key: 'subscapular_mm',
    label: 'Subscapular',
    kind: 'skinfold',
    hint: 'Diagonal fold just below the lower tip of the shoulder blade.',
  },
};

/** The sites the API needs for `method` and `sex` (the domain's table, generated into api/generated/rules.ts). */
export function sitesFor(method: Method, sex: Sex): Site[] {
  const keys: readonly SiteKey[] = MEASURED_SITES[method][sex];
  return keys.map((key) => SITES[key]);
}

export const METHOD_LABEL: Record<Method, string> = { navy: 'Navy tape', '3_site': '3-site skinfold', '7_site': '7-site skinfold' };

export const METHOD_HINT: Record<Method, string> = {
  navy: 'A soft tape measure: snug on the skin, not pressing in. Measure in the morning, before eating.',
  '3_site': 'Skinfold callipers on the right side: pinch, measure after two seconds, take each site twice and use the average.',
  '7_site': 'Skinfold callipers on the right side: pinch, measure after two seconds, take each site twice and use the average.',
};

export const METHODS: Method[] = ['navy', '3_site', '7_site'];

export const ACTIVITY_LEVELS: { value: ActivityLevel; label: string; description: string }[] = [
  { value: 'sedentary', label: 'Sedentary', description: 'Desk job and little or no exercise.' },
  { value: 'lightly_active', label: 'Lightly active', description: 'Light exercise or sport 1–3 days a week.' },
  { value: 'moderately_active', label: 'Moderately active', description: 'Moderate exercise or sport 3–5 days a week.' },
  { value: 'very_active', label: 'Very active', description: 'Hard exercise or sport 6–7 days a week.' },
  { value: 'extremely_active', label: 'Extremely active', description: 'Hard daily training plus a physical job.' },
];
