/**
 * A chart's legend in HTML, so it can be read, zoomed and tested like the rest of the page: the
 * first LEGEND_SHOWN lines, and the others (drawn only while shown) behind a "More lines" button.
 */
export interface LegendEntry {
  label: string;
  color: string;
  dashed?: boolean;
}

export const LEGEND_SHOWN = 5;

export function ChartLegend({
  id,
  entries,
  expanded,
  onToggle,
}: {
  id: string;
  entries: LegendEntry[];
  expanded: boolean;
  onToggle: () => void;
}) {
  const first = entries.slice(0, LEGEND_SHOWN);
  const more = entries.slice(LEGEND_SHOWN);
  const item = (entry: LegendEntry) => (
    <li key={entry.label}>
      <span class={`legend-swatch${entry.dashed ? ' dashed' : ''}`} style={{ '--swatch': entry.color }} aria-hidden="true" />
      {entry.label}
    </li>
  );
  return (
    <div class="chart-legend" data-testid="chart-legend">
      <ul id={id} aria-label="Lines on the chart">
        {first.map(item)}
        {expanded ? more.map(item) : null}
      </ul>
      {more.length ? (
        <button type="button" class="button small" aria-expanded={expanded ? 'true' : 'false'} aria-controls={id} onClick={onToggle}>
          More lines
        </button>
      ) : null}
    </div>
  );
}
