/**
 * Units are a display and input preference; the API stays metric. Weight is kg or lb, tape sites
 * cm or in, height cm or ft + in. Skinfolds are millimetres either way: that is what callipers read.
 *
 * The signed-in person's units are their account's (`units` of GET /users/me), so every device
 * shows what they chose: session.ts hands each profile it receives to followAccount. This browser
 * keeps a copy for the moments without an account: before /users/me answers, and signed out (Sign
 * up sends the choice with the registration).
 */
import { KG_PER_LB } from './api/generated/rules.ts';
import { createStore, useStore } from './store.ts';

export type Units = 'metric' | 'imperial';

const STORAGE_KEY = 'recomp.units';
const CM_PER_IN = 2.54;

function stored(): Units {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'imperial' ? 'imperial' : 'metric';
  } catch {
    return 'metric';
  }
}

const unitsStore = createStore<Units>(stored());
export const useUnits = () => useStore(unitsStore);

/** This browser's choice, shown until an account says otherwise (Sign in, Sign up). */
export function setUnits(units: Units) {
  try {
    localStorage.setItem(STORAGE_KEY, units);
  } catch {
    // Storage refused (private mode, quota): the choice lasts until the page is closed.
  }
  if (unitsStore.get() !== units) unitsStore.set(units);
}

/** The account's choice wins over this browser's, and is remembered here for the next start. */
export const followAccount = (account: { units: Units }) => setUnits(account.units);

/** What a number means: the unit it is shown in follows from its kind and the preference. */
export type Quantity = 'weight' | 'tape' | 'skinfold' | 'height' | 'percent';

export function unitLabel(quantity: Quantity, units: Units): string {
  switch (quantity) {
    case 'weight':
      return units === 'imperial' ? 'lb' : 'kg';
    case 'tape':
      return units === 'imperial' ? 'in' : 'cm';
    case 'height':
      return units === 'imperial' ? 'in' : 'cm';
    case 'skinfold':
      return 'mm';
    case 'percent':
      return '%';
  }
}

const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;

/** A metric API value in the display unit. */
export function toDisplay(quantity: Quantity, metric: number, units: Units): number {
  if (units === 'metric') return metric;
  if (quantity === 'weight') return metric / KG_PER_LB;
  if (quantity === 'tape' || quantity === 'height') return metric / CM_PER_IN;
  return metric;
}

/** A value typed in the display unit, in the API's metric unit (two decimals are plenty). */
export function toMetric(quantity: Quantity, display: number, units: Units): number {
  if (units === 'metric') return display;
  if (quantity === 'weight') return round(display * KG_PER_LB, 2);
  if (quantity === 'tape' || quantity === 'height') return round(display * CM_PER_IN, 2);
  return display;
}

/** "84.0 kg", "185.2 lb", "19.8 %". */
export function formatQuantity(quantity: Quantity, metric: number, units: Units, decimals = 1): string {
  const unit = unitLabel(quantity, units);
  const value = toDisplay(quantity, metric, units).toFixed(decimals);
  return `${value} ${unit}`;
}

/**
 * A schema limit in the display unit, rounded at `decimals` towards the allowed side (a minimum up,
 * a maximum down): the value shown, typed back and converted by toMetric, passes the limit again.
 */
function limitInDisplay(quantity: Quantity, metric: number, units: Units, bound: 'min' | 'max', decimals = 1): number {
  const display = toDisplay(quantity, metric, units);
  if (display === metric) return metric;
  // The epsilon keeps a limit that converts exactly (up to float noise) from moving a step.
  const scaled = display * 10 ** decimals;
  return (bound === 'min' ? Math.ceil(scaled - 1e-9) : Math.floor(scaled + 1e-9)) / 10 ** decimals;
}

/** "66.2 lb", "3 ft 11.3 in", "250 cm": a limit as the person would type it (see limitInDisplay). */
export function formatLimit(quantity: Quantity, metric: number, units: Units, bound: 'min' | 'max'): string {
  const value = limitInDisplay(quantity, metric, units, bound);
  if (quantity === 'height') return formatHeight(units === 'imperial' ? value * CM_PER_IN : value, units);
  return `${value} ${unitLabel(quantity, units)}`;
}

function formatHeight(cm: number, units: Units): string {
  if (units === 'metric') return `${round(cm, 1)} cm`;
  const { feet, inches } = cmToFeetInches(cm);
  return `${feet} ft ${inches} in`;
}

export function cmToFeetInches(cm: number): { feet: number; inches: number } {
  const totalInches = round(cm / CM_PER_IN, 1);
  const feet = Math.floor(totalInches / 12);
  return { feet, inches: round(totalInches - feet * 12, 1) };
}

export const feetInchesToCm = (feet: number, inches: number) => round((feet * 12 + inches) * CM_PER_IN, 1);
