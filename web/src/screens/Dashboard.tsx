import type { DietPlan, Expenditure, Goal, Measurement, TrainingPlan, Trends, User } from '../api/types.ts';
import { activeGoal, getDietPlan, getExpenditure, getTrainingPlan, getTrends, latestMeasurement, listProgress } from '../api/queries.ts';
import { BodyFatChart } from '../components/BodyFatChart.tsx';
import { Loading, LoadError, Page } from '../components/page.tsx';
import { comparisonText, expenditureSummary, projectionSummary } from '../daily.ts';
import { formatDate, formatPercent, plural } from '../format.ts';
import { useLoad } from '../load.ts';
import { METHOD_LABEL } from '../methods.ts';
import { strength } from '../plans.ts';
import { Link } from '../router.tsx';
import { formatQuantity, useUnits } from '../units.ts';
import { OnTrack } from './LogProgress.tsx';

interface GoalView { goal: Goal; trends: Trends; training: TrainingPlan; diet: DietPlan; expenditure: Expenditure | null; warnings: string[] }

async function loadDashboard(): Promise<{ goalView: GoalView | null; latest: Measurement | null }> {
  const goal = await activeGoal();
  if (!goal) return { goalView: null, latest: await latestMeasurement() };
  const [trends, training, diet, progress, expenditure] = await Promise.all([
    getTrends(goal.id), getTrainingPlan(goal.id), getDietPlan(goal.id), listProgress(goal.id), getExpenditure(),
  ]);
  const lastEntry = progress.at(-1);
  const warnings = [lastEntry?.ceiling_warning, lastEntry?.rate_warning].filter((w): w is string => Boolean(w));
  return { goalView: { goal, trends, training, diet, expenditure, warnings }, latest: null };
}

export function Dashboard({ user }: { user: User }) {
  const data = useLoad(loadDashboard, []);
  const firstName = user.full_name.trim().split(/\s+/)[0] ?? user.full_name;
  const goalView = data.data?.goalView ?? null;
  return (
    <Page title="Dashboard" heading={`Hi, ${firstName}`}>
      <div class="actions">
        <Link class="button primary" href="/measurements/new">Log measurement</Link>
        {goalView ? <Link class="button primary" href="/progress/new">Log progress</Link> : null}
      </div>
      {data.error ? <LoadError message={data.error} retry={data.reload} /> : null}
      {data.loading && !data.data ? <Loading what="your dashboard" /> : null}
      {data.data && !goalView ? <NoGoal latest={data.data.latest} /> : null}
      {goalView ? <GoalDashboard view={goalView} /> : null}
    </Page>
  );
}

function NoGoal({ latest }: { latest: Measurement | null }) {
  const units = useUnits();
  return (
    <div class="card cta">
      {latest ? (
        <>
          <h2>Your latest body fat</h2>
          <p class="big-number" data-testid="latest-body-fat">{formatPercent(latest.calculated_body_fat_percentage)}</p>
          <p class="muted">{METHOD_LABEL[latest.calculation_method]} · {formatQuantity('weight', latest.weight_kg, units)} · {formatDate(latest.measured_at)}</p>
          <p>Set a target to get a calorie plan, a timeline and a training and diet plan.</p>
          <Link class="button primary" href="/goals/new">Start a goal</Link>
        </>
      ) : (
        <>
          <h2>Start with a measurement</h2>
          <p>Log your first measurement to see your body fat. Then start a goal from it.</p>
          <div class="actions">
            <Link class="button" href="/goals/new">Start a goal</Link>
          </div>
        </>
      )}
    </div>
  );
}

function GoalDashboard({ view }: { view: GoalView }) {
  const units = useUnits();
  const { goal, trends, training, diet, expenditure, warnings } = view;
  const cutting = goal.goal_type === 'cutting';
  const limit = cutting ? goal.target_body_fat_percentage : goal.ceiling_body_fat_percentage;
  const progress = Math.max(0, Math.min(100, trends.progress_percentage));
  const exercises = strength(training.plan_details).exercises;
  const remaining = trends.estimated_weeks_remaining;
  return (
    <>
      <section class="card goal-card" aria-labelledby="goal-heading">
        <div class="card-head">
          <h2 id="goal-heading">{cutting ? 'Cutting goal' : 'Bulking goal'}</h2>
          <OnTrack onTrack={trends.is_on_track} />
        </div>
        <dl class="stats">
          <div><dt>Body fat now</dt><dd data-testid="current-bf">{formatPercent(trends.current_body_fat)}</dd></div>
          <div><dt>{cutting ? 'Target' : 'Ceiling'}</dt><dd data-testid="goal-limit">{limit === null ? '—' : formatPercent(limit)}</dd></div>
          <div><dt>Started at</dt><dd>{formatPercent(trends.initial_body_fat)}</dd></div>
          <div><dt>Calorie target</dt><dd data-testid="calorie-target">{diet.daily_calorie_target.toLocaleString()} kcal/day</dd></div>
          <div><dt>Weeks elapsed</dt><dd>{trends.weeks_elapsed}</dd></div>
          <div><dt>Weeks remaining</dt><dd>{remaining === null ? 'Not known yet' : remaining}</dd></div>
          <div><dt>Weekly rate</dt><dd data-testid="weekly-rate">{goal.weekly_rate_percent} % a week</dd></div>
          <div><dt>Expenditure</dt><dd data-testid="dashboard-expenditure">{expenditure ? `${expenditure.tdee_kcal.toLocaleString('en-GB')} kcal/day` : '—'}</dd></div>
        </dl>
        {expenditure ? <p class="muted" data-testid="expenditure-summary">{expenditureSummary(expenditure)} <Link href="/daily">Daily log</Link></p> : null}
        {trends.projection_comparison ? <p class="suggestion" data-testid="plan-comparison">{comparisonText(trends.projection_comparison)}</p> : null}
        <div class="progress-row">
          <label for="goal-progress">Progress: <strong data-testid="progress-percent">{trends.progress_percentage.toFixed(0)} %</strong></label>
          <progress id="goal-progress" max={100} value={progress}>{progress.toFixed(0)} %</progress>
        </div>
        {trends.adjustment_suggestion ? <p class="suggestion">{trends.adjustment_suggestion}</p> : null}
      </section>

      {warnings.length ? (
        <section class="warnings" aria-label="Warnings">
          {warnings.map((warning) => <div class="alert alert-warning" key={warning}><strong>Warning: </strong>{warning}</div>)}
        </section>
      ) : null}

      <section class="card" aria-labelledby="chart-heading">
        <h2 id="chart-heading">Body fat and weight</h2>
        <BodyFatChart trends={trends} goalType={goal.goal_type} units={units} projection={goal.projection} />
        {goal.projection ? <p class="plan-note" data-testid="plan-summary">{projectionSummary(goal.projection, limit)}</p> : null}
      </section>

      <div class="grid-2">
        <section class="card" aria-labelledby="training-heading">
          <h2 id="training-heading">Training plan</h2>
          <p><strong>{plural(training.workout_frequency, 'strength session')} a week</strong> · {training.primary_focus}</p>
          <ul class="compact">
            {exercises.slice(0, 5).map((e) => <li key={e.name}>{e.name} <span class="muted">{e.sets} × {e.reps}</span></li>)}
          </ul>
          <Link href="/plans">See the full training plan</Link>
        </section>
        <section class="card" aria-labelledby="diet-heading">
          <h2 id="diet-heading">Diet plan</h2>
          <p><strong>{diet.daily_calorie_target.toLocaleString()} kcal a day</strong></p>
          <dl class="macros">
            <div><dt>Protein</dt><dd>{diet.protein_grams} g</dd></div>
            <div><dt>Carbs</dt><dd>{diet.carbs_grams} g</dd></div>
            <div><dt>Fat</dt><dd>{diet.fat_grams} g</dd></div>
          </dl>
          <Link href="/plans">See the full diet plan</Link>
        </section>
      </div>
    </>
  );
}
