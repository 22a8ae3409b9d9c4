/**
 * Body fat % over time, with the target or ceiling, the plan, the projection to it, the trend line
 * and the 4-week average; under it, weight on a chart of its own. Each has its own axis and unit, so
 * the weight line crossing the target line never reads as reaching it. Both show the same dates: the
 * data and the next part of the forecast (chartEnd). Hover a point, or focus the chart and use the
 * arrow keys, to read a point's date and values; the sentence under it says the same in words.
 */
import {
  Chart,
  type ChartDataset,
  Filler,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type TooltipItem,
} from 'chart.js';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { GoalType, Projection, Trends } from '../api/types.ts';
import { formatDate } from '../format.ts';
import { formatQuantity, unitLabel, type Units } from '../units.ts';
import {
  CHART_BASE,
  type ChartSeries,
  chartSeries,
  chartSummary,
  dateAxis,
  projectionNote,
  type XY,
  xLabelsOnCanvas,
} from './chartSeries.ts';
import { type ChartTheme, chartTheme, themedAxis, useColorScheme } from './chartColors.ts';
import { ChartLegend, LEGEND_SHOWN, type LegendEntry } from './chartLegend.tsx';

Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip, Filler);
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

type Point = XY & { date?: string };

/** Both charts' y axes take the same width, so that their dates line up one over the other. */
const Y_AXIS_WIDTH = 56;
const yAxis = (title: string, theme: ChartTheme) =>
  themedAxis(
    {
      type: 'linear' as const,
      title: { display: true, text: title },
      grace: '10%',
      afterFit: (scale: { width: number }) => {
        scale.width = Y_AXIS_WIDTH;
      },
    },
    theme,
  );
type Line = ChartDataset<'line', Point[]>;

/** A line of the chart and how its legend entry looks; no entry for a band's unlabelled edge. */
interface ChartLine {
  dataset: Line;
  entry: LegendEntry | null;
}

function line(label: string, data: Point[], color: string, extra: Partial<Line> = {}): Line {
  return {
    label,
    data,
    borderColor: color,
    backgroundColor: color,
    pointRadius: 0,
    pointHoverRadius: 0,
    borderWidth: 2,
    tension: 0,
    ...extra,
  };
}

/**
 * The body-fat chart's lines, most telling first: the legend shows the first LEGEND_SHOWN, the rest
 * only when asked. Body fat stays first: the keyboard and the tooltip read dataset 0.
 */
function bodyFatLines(s: ChartSeries, goalType: GoalType, theme: ChartTheme): ChartLine[] {
  const limitLabel = goalType === 'cutting' ? 'Target' : 'Ceiling';
  const lines: ChartLine[] = [
    {
      dataset: line('Body fat', s.bodyFat, theme.line('bodyFat'), { pointRadius: 4, pointHoverRadius: 7, borderWidth: 2.5 }),
      entry: { label: 'Body fat', color: theme.line('bodyFat') },
    },
  ];
  if (s.limit.length) {
    lines.push({
      dataset: line(limitLabel, s.limit, theme.line('limit'), { borderDash: [8, 4] }),
      entry: { label: limitLabel, color: theme.line('limit'), dashed: true },
    });
  }
  if (s.plan.length) {
    lines.push({
      dataset: line('Plan', s.plan, theme.line('plan'), { borderDash: [3, 3] }),
      entry: { label: 'Plan', color: theme.line('plan'), dashed: true },
    });
  }
  if (s.projection.length) {
    lines.push({
      dataset: line('Projection', s.projection, theme.line('projection'), { borderDash: [6, 4] }),
      entry: { label: 'Projection', color: theme.line('projection'), dashed: true },
    });
  }
  if (s.trend.length) {
    lines.push({
      dataset: line('Trend', s.trend, theme.line('trend'), { borderDash: [2, 3], borderWidth: 1.5 }),
      entry: { label: 'Trend', color: theme.line('trend'), dashed: true },
    });
  }
  if (s.average.length) {
    lines.push({
      dataset: line('4-week average', s.average, theme.line('average'), { borderWidth: 3 }),
      entry: { label: '4-week average', color: theme.line('average') },
    });
  }
  // The plan's band: its lower edge unlabelled, the upper edge shaded down to it (fill '-1').
  if (s.plan.length) {
    lines.push({ dataset: line('Plan low', s.planLow, theme.line('plan'), { borderWidth: 0 }), entry: null });
    lines.push({
      dataset: line('Plan range', s.planHigh, theme.line('plan'), {
        borderWidth: 0,
        fill: '-1',
        backgroundColor: theme.line('plan', '26'),
      }),
      entry: { label: 'Plan range', color: theme.line('plan', '66') },
    });
  }
  return lines;
}

/** Lines past the legend's first LEGEND_SHOWN entries (and the edge that belongs to them) are hidden until asked for. */
function withVisibility(lines: ChartLine[], all: boolean): Line[] {
  let entries = 0;
  return lines.map(({ dataset, entry }) => {
    if (entry) entries += 1;
    const extra = entry ? entries > LEGEND_SHOWN : entries >= LEGEND_SHOWN;
    return { ...dataset, hidden: extra && !all };
  });
}

export function BodyFatChart({
  trends,
  goalType,
  units,
  projection = null,
}: {
  trends: Trends;
  goalType: GoalType;
  units: Units;
  projection?: Projection | null;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const weightCanvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<'line', Point[]> | null>(null);
  const focused = useRef(-1);
  const [allLines, setAllLines] = useState(false);
  // What the tooltip shows, in text for screen readers (a canvas tooltip is invisible to them).
  const [announcement, setAnnouncement] = useState('');
  // The note also says why no projection line is drawn, when there is none.
  const summary = [chartSummary(trends, goalType, units), projectionNote(trends, goalType)].filter(Boolean).join(' ');
  const s = chartSeries(trends, units, projection);
  // Read at each render: a change of theme renders again (useColorScheme) and so redraws.
  const scheme = useColorScheme();
  const theme = chartTheme(document.documentElement);
  const lines = bodyFatLines(s, goalType, theme);

  useEffect(() => {
    if (!canvas.current || !weightCanvas.current || !s.origin) return;
    const x = themedAxis(dateAxis(s.origin, 'week', s.xMax), theme);
    const weightUnit = unitLabel('weight', units);
    const title = (items: TooltipItem<'line'>[]) => {
      const raw = items[0]?.raw as Point | undefined;
      return raw?.date ? formatDate(raw.date) : '';
    };
    const bodyFat = new Chart<'line', Point[]>(canvas.current, {
      type: 'line',
      plugins: [xLabelsOnCanvas],
      data: { datasets: withVisibility(lines, allLines) },
      options: {
        ...CHART_BASE,
        interaction: { mode: 'nearest', intersect: false, axis: 'x' },
        scales: { x, y: yAxis('Body fat (%)', theme) },
        plugins: {
          // The legend is ChartLegend's, in HTML.
          legend: { display: false },
          tooltip: {
            filter: (item: TooltipItem<'line'>) => item.datasetIndex === 0,
            callbacks: { title, label: (item: TooltipItem<'line'>) => `Body fat: ${(item.raw as Point).y.toFixed(1)} %` },
          },
        },
      },
    });
    const weight = new Chart<'line', Point[]>(weightCanvas.current, {
      type: 'line',
      plugins: [xLabelsOnCanvas],
      data: {
        datasets: [
          line(`Weight (${weightUnit})`, s.weight, theme.line('weight'), {
            pointRadius: 3,
            pointHoverRadius: 6,
            borderWidth: 1.5,
            pointStyle: 'rect',
          }),
        ],
      },
      options: {
        ...CHART_BASE,
        interaction: { mode: 'nearest', intersect: false, axis: 'x' },
        scales: { x, y: yAxis(`Weight (${weightUnit})`, theme) },
        plugins: {
          // One line, named by its axis.
          legend: { display: false },
          tooltip: {
            callbacks: { title, label: (item: TooltipItem<'line'>) => `Weight: ${(item.raw as Point).y.toFixed(1)} ${weightUnit}` },
          },
        },
      },
    });
    chart.current = bodyFat;
    return () => {
      bodyFat.destroy();
      weight.destroy();
      chart.current = null;
    };
  }, [trends, goalType, units, projection, allLines, scheme]);

  /** Keyboard: the arrow keys (and Home/End) walk the measured points and show their tooltip. */
  const show = (index: number) => {
    const instance = chart.current;
    const count = trends.data_points.length;
    if (!instance || count === 0) return;
    const i = Math.max(0, Math.min(count - 1, index));
    focused.current = i;
    const active = [{ datasetIndex: 0, index: i }];
    const element = instance.getDatasetMeta(0).data[i];
    instance.setActiveElements(active);
    instance.tooltip?.setActiveElements(active, { x: element?.x ?? 0, y: element?.y ?? 0 });
    instance.update();
    const point = trends.data_points[i];
    if (point) {
      setAnnouncement(
        `${formatDate(point.date)}: body fat ${point.body_fat_percentage.toFixed(1)} %, weight ${formatQuantity('weight', point.weight_kg, units)} (measurement ${i + 1} of ${count}).`,
      );
    }
  };
  const onKeyDown = (event: KeyboardEvent) => {
    const last = trends.data_points.length - 1;
    const moves: Record<string, number> = {
      ArrowRight: focused.current + 1,
      ArrowUp: focused.current + 1,
      ArrowLeft: focused.current - 1,
      ArrowDown: focused.current - 1,
      Home: 0,
      End: last,
    };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    show(next);
  };
  const clear = () => {
    focused.current = -1;
    chart.current?.setActiveElements([]);
    chart.current?.tooltip?.setActiveElements([], { x: 0, y: 0 });
    chart.current?.update();
    setAnnouncement('');
  };

  return (
    <figure class="chart">
      <div class="chart-box">
        <canvas
          ref={canvas}
          tabIndex={0}
          role="img"
          aria-label="Chart of body fat over time. Use the arrow keys to read each measurement."
          aria-describedby="chart-summary"
          onFocus={() => show(trends.data_points.length - 1)}
          onBlur={clear}
          onKeyDown={onKeyDown}
        />
      </div>
      <ChartLegend
        id="chart-lines"
        entries={lines.flatMap((l) => (l.entry ? [l.entry] : []))}
        expanded={allLines}
        onToggle={() => setAllLines(!allLines)}
      />
      <div class="chart-box weight">
        <canvas ref={weightCanvas} role="img" aria-label="Chart of weight over time, on the same dates." aria-describedby="chart-summary" />
      </div>
      <p class="visually-hidden" aria-live="polite" data-testid="chart-point">
        {announcement}
      </p>
      <figcaption id="chart-summary" data-testid="chart-summary">
        {summary}
      </figcaption>
    </figure>
  );
}
