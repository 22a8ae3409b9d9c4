/**
 * A small chart over days for the daily log: lines, points and shaded bands (Chart.js with its
 * Filler), x = days since `origin`, labelled with the dates. The sentence under it says what the
 * chart shows, for people who cannot see it.
 */
import { Chart, type ChartDataset, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';
import { type ChartColor, chartTheme, themedAxis, useColorScheme } from './chartColors.ts';
import { CHART_BASE, dateAxis, type XY, xLabelsOnCanvas } from './chartSeries.ts';

Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip, Legend, Filler);

export interface DailyLine {
  label: string;
  data: XY[];
  color: ChartColor;
  /** points only (raw weigh-ins), no line */
  points?: boolean;
  dashed?: boolean;
  /** shade the area between this line and the previous one (a band's upper edge) */
  fillToPrevious?: boolean;
  /** leave it out of the legend (a band's edges) */
  hidden?: boolean;
}

export function DailyChart({
  lines,
  origin,
  yTitle,
  label,
  summary,
  testId,
}: {
  lines: DailyLine[];
  /** the calendar date (YYYY-MM-DD) of x = 0 */
  origin: string;
  yTitle: string;
  label: string;
  summary: string;
  testId: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const scheme = useColorScheme();
  useEffect(() => {
    if (!canvas.current) return;
    const theme = chartTheme(canvas.current);
    const datasets: ChartDataset<'line', XY[]>[] = lines.map((l) => ({
      label: l.label,
      data: l.data,
      borderColor: theme.line(l.color),
      backgroundColor: theme.line(l.color, l.fillToPrevious ? '33' : ''),
      pointRadius: l.points ? 3 : 0,
      showLine: !l.points,
      borderWidth: l.hidden || l.fillToPrevious ? 0 : 2,
      tension: 0,
      ...(l.dashed ? { borderDash: [6, 4] } : {}),
      fill: l.fillToPrevious ? '-1' : false,
    }));
    const instance = new Chart<'line', XY[]>(canvas.current, {
      type: 'line',
      plugins: [xLabelsOnCanvas],
      data: { datasets },
      options: {
        ...CHART_BASE,
        scales: {
          x: themedAxis(dateAxis(origin, 'day', Math.max(1, ...lines.flatMap((l) => l.data.map((p) => p.x)))), theme),
          y: themedAxis({ type: 'linear' as const, title: { display: true, text: yTitle }, grace: '5%' }, theme),
        },
        plugins: {
          legend: {
            position: 'bottom',
            labels: { color: theme.text, boxWidth: 14, boxHeight: 2, filter: (item) => !lines[item.datasetIndex ?? 0]?.hidden },
          },
          tooltip: { enabled: false },
        },
      },
    });
    return () => instance.destroy();
  }, [lines, origin, yTitle, scheme]);
  return (
    <figure class="chart">
      <div class="chart-box small">
        <canvas ref={canvas} role="img" aria-label={label} aria-describedby={`${testId}-summary`} />
      </div>
      <figcaption id={`${testId}-summary`} data-testid={testId}>
        {summary}
      </figcaption>
    </figure>
  );
}
