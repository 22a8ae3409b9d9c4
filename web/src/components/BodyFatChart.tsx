/**
 * Body fat % (left axis) and weight (right axis) over time, with the trend line, the 4-week average,
 * the target or ceiling and the projection to it. Hover a point, or focus the chart and use the
 * arrow keys, to read a point's date and values; the sentence under it says the same in words.
 */
import {
  Chart,
  type ChartDataset,
  Filler,
  Legend,
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
import { CHART_BASE, chartSeries, chartSummary, projectionSentence, type XY } from './chartSeries.ts';

Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip, Legend, Filler);
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
Chart.defaults.color = '#3b4a4f';

const COLORS = {
  bodyFat: '#0f5f59',
  average: '#5aa39c',
  trend: '#0f5f59',
  projection: '#6b7280',
  plan: '#b45309',
  limit: '#b42318',
  weight: '#6d28d9',
};

type Point = XY & { date?: string };

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
  const chart = useRef<Chart<'line', Point[]> | null>(null);
  const focused = useRef(-1);
  // What the tooltip shows, in text for screen readers (a canvas tooltip is invisible to them).
  const [announcement, setAnnouncement] = useState('');
  // The projection's sentence also says why no projection line is drawn, when there is none.
  const summary = [chartSummary(trends, goalType, units), projectionSentence(trends, goalType)].filter(Boolean).join(' ');

  useEffect(() => {
    if (!canvas.current) return;
    const s = chartSeries(trends, units, projection);
    const weightUnit = unitLabel('weight', units);
    const limitLabel = goalType === 'cutting' ? 'Target' : 'Ceiling';
    const line = (
      label: string,
      data: Point[],
      color: string,
      extra: Partial<ChartDataset<'line', Point[]>> = {},
    ): ChartDataset<'line', Point[]> => ({
      label,
      data,
      borderColor: color,
      backgroundColor: color,
      pointRadius: 0,
      pointHoverRadius: 0,
      borderWidth: 2,
      tension: 0,
      ...extra,
    });
    const datasets = [
      line('Body fat', s.bodyFat, COLORS.bodyFat, { pointRadius: 4, pointHoverRadius: 7, borderWidth: 2.5 }),
      line(`Weight (${weightUnit})`, s.weight, COLORS.weight, {
        yAxisID: 'y1',
        pointRadius: 3,
        pointHoverRadius: 6,
        borderWidth: 1.5,
        pointStyle: 'rect',
      }),
      ...(s.average.length ? [line('4-week average', s.average, COLORS.average, { borderWidth: 3 })] : []),
      ...(s.trend.length ? [line('Trend', s.trend, COLORS.trend, { borderDash: [2, 3], borderWidth: 1.5 })] : []),
      ...(s.projection.length ? [line('Projection', s.projection, COLORS.projection, { borderDash: [6, 4] })] : []),
      ...(s.limit.length ? [line(limitLabel, s.limit, COLORS.limit, { borderDash: [8, 4] })] : []),
      // The plan's band: its lower edge unlabelled, the upper edge shaded down to it.
      ...(s.plan.length
        ? [
            line('Plan low', s.planLow, COLORS.plan, { borderWidth: 0 }),
            line('Plan range', s.planHigh, COLORS.plan, { borderWidth: 0, fill: '-1', backgroundColor: `${COLORS.plan}26` }),
            line('Plan', s.plan, COLORS.plan, { borderDash: [3, 3], borderWidth: 2 }),
          ]
        : []),
    ];
    const instance = new Chart<'line', Point[]>(canvas.current, {
      type: 'line',
      data: { datasets },
      options: {
        ...CHART_BASE,
        interaction: { mode: 'nearest', intersect: false, axis: 'x' },
        scales: {
          x: {
            type: 'linear',
            min: 0,
            max: Math.ceil(s.xMax),
            title: { display: true, text: 'Weeks since the start' },
            ticks: { precision: 0, stepSize: s.xMax > 16 ? 4 : 1 },
          },
          y: { type: 'linear', position: 'left', title: { display: true, text: 'Body fat (%)' }, grace: '10%' },
          y1: {
            type: 'linear',
            position: 'right',
            title: { display: true, text: `Weight (${weightUnit})` },
            grid: { drawOnChartArea: false },
            grace: '10%',
          },
        },
        plugins: {
          legend: {
            position: 'bottom',
            labels: { boxWidth: 14, boxHeight: 2, usePointStyle: false, filter: (item) => item.text !== 'Plan low' },
          },
          tooltip: {
            filter: (item: TooltipItem<'line'>) => item.datasetIndex <= 1,
            callbacks: {
              title: (items: TooltipItem<'line'>[]) => {
                const raw = items[0]?.raw as Point | undefined;
                return raw?.date ? formatDate(raw.date) : `Week ${raw?.x ?? ''}`;
              },
              label: (item: TooltipItem<'line'>) => {
                const raw = item.raw as Point;
                return item.datasetIndex === 0 ? `Body fat: ${raw.y.toFixed(1)} %` : `Weight: ${raw.y.toFixed(1)} ${weightUnit}`;
              },
            },
          },
        },
      },
    });
    chart.current = instance;
    return () => {
      instance.destroy();
      chart.current = null;
    };
  }, [trends, goalType, units, projection]);

  /** Keyboard: the arrow keys (and Home/End) walk the measured points and show their tooltip. */
  const show = (index: number) => {
    const instance = chart.current;
    const count = trends.data_points.length;
    if (!instance || count === 0) return;
    const i = Math.max(0, Math.min(count - 1, index));
    focused.current = i;
    const active = [
      { datasetIndex: 0, index: i },
      { datasetIndex: 1, index: i },
    ];
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
          aria-label="Chart of body fat and weight over time. Use the arrow keys to read each measurement."
          aria-describedby="chart-summary"
          onFocus={() => show(trends.data_points.length - 1)}
          onBlur={clear}
          onKeyDown={onKeyDown}
        />
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
