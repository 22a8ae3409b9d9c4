/**
 * The charts' colours, from the theme's variables in web/src/styles.css (light, or dark when the
 * device asks for it). Chart.js paints a canvas, which CSS does not reach: a chart and its legend
 * read the variables when they render, and render again when the device switches theme.
 */
import { useEffect, useState } from 'preact/hooks';

const LINE_VARIABLES = {
  bodyFat: '--chart-body-fat',
  average: '--chart-average',
  trend: '--chart-trend',
  projection: '--chart-projection',
  plan: '--chart-plan',
  limit: '--chart-limit',
  weight: '--chart-weight',
  expenditure: '--chart-expenditure',
} as const;

/** A chart line's colour, by what the line shows. */
export type ChartColor = keyof typeof LINE_VARIABLES;

export interface ChartTheme {
  /** the axes' labels and titles, and a canvas legend's */
  text: string;
  grid: string;
  /** a line's colour, with `alpha` (two hex digits) for a band's shading */
  line(color: ChartColor, alpha?: string): string;
}

/** The colours in effect at `element` now, as the canvas needs them. */
export function chartTheme(element: Element): ChartTheme {
  const style = getComputedStyle(element);
  const read = (name: string) => style.getPropertyValue(name).trim();
  return {
    text: read('--chart-text'),
    grid: read('--chart-grid'),
    line: (color, alpha = '') => `${read(LINE_VARIABLES[color])}${alpha}`,
  };
}

/** A Chart.js axis with its labels, title, grid and edge in the theme's colours. */
export function themedAxis<A extends { ticks?: object; title?: object }>(axis: A, theme: ChartTheme) {
  return {
    ...axis,
    ticks: { ...axis.ticks, color: theme.text },
    title: { ...axis.title, color: theme.text },
    grid: { color: theme.grid },
    border: { color: theme.grid },
  };
}

const DARK = '(prefers-color-scheme: dark)';
const scheme = (): 'light' | 'dark' => (window.matchMedia(DARK).matches ? 'dark' : 'light');

/** 'light' or 'dark', as the device asks now; a change re-renders, so a chart can draw again. */
export function useColorScheme(): 'light' | 'dark' {
  const [current, setCurrent] = useState(scheme);
  useEffect(() => {
    const query = window.matchMedia(DARK);
    const changed = () => setCurrent(scheme());
    query.addEventListener('change', changed);
    return () => query.removeEventListener('change', changed);
  }, []);
  return current;
}
