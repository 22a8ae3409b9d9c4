import { useEffect } from 'preact/hooks';
import type { Goal, Measurement, User } from '../api/types.ts';
import {
  activeGoal,
  getDietPlan,
  getExpenditure,
  getMeasurement,
  getTrainingPlan,
  getTrends,
  latestGoal,
  latestMeasurement,
  listProgress,
} from '../api/queries.ts';
import { BodyFatChart } from '../components/BodyFatChart.tsx';
import { Loading, LoadError, Page } from '../components/page.tsx';
import { ChangeRate } from '../components/ChangeRate.tsx';
import { GoalForecast } from '../components/GoalForecast.tsx';
import { SyncList } from '../components/SyncList.tsx';
import { comparisonText, expenditureSummary } from '../daily.ts';
import { formatDate, formatKcal, formatPercent, plural } from '../format.ts';
import { goalReached, type GoalReached, latestWarnings, TRACK_BADGE, TRACK_LABEL, trackState } from '../goalOutlook.ts';
import { type Loaded, useLoad } from '../load.ts';
import { METHOD_LABEL } from '../methods.ts';
import { strength } from '../plans.ts';
import { Link } from '../router.tsx';
import { formatQuantity, useUnits } from '../units.ts';
import { TargetChangeNote } from '../components/TargetChange.tsx';
import { TodayCard } from '../components/TodayCard.tsx';

interface Start {
  goal: Goal | null;
  latest: Measurement | null;
  reached: GoalReached | null;
}

async function loadStart(): Promise<Start> {
  const goal = await activeGoal();
  if (goal) return { goal, latest: null, reached: null };
  // The acknowledgement is a bonus: without it the screen still offers the next goal.
  const [latest, last] = await Promise.all([latestMeasurement(), latestGoal().catch(() => null)]);
  return { goal: null, latest, reached: goalReached(last) };
}

export function Dashboard({ user }: { user: User }) {
  const data = useLoad(loadStart, []);
  const firstName = user.full_name.trim().split(/\s+/)[0] ?? user.full_name;
  const goal = data.data?.goal ?? null;
  return (
    <Page title="Dashboard" heading={`Hi, ${firstName}`}>
      {/* First, and on its own loads: today's weigh-in is one fill and one tap from opening the app. */}
      <TodayCard />
      <div class="actions">
        {/* With a goal, the check-in is the one primary action (a measurement logged there is one too). */}
        <Link class={goal ? 'button' : 'button primary'} href="/measurements/new">
          Log measurement
        </Link>
        {goal ? (
          <Link class="button primary" href="/progress/new">
            Log progress
          </Link>
        ) : null}
      </div>
      {goal ? (
        <p class="muted actions-hint" data-testid="log-buttons-hint">
          Log progress is your check-in: it updates your calorie target and plans. Log measurement saves any measurement and asks whether it
          counts as one.
        </p>
      ) : null}
      <SyncList />
      {data.error ? <LoadError message={data.error} retry={data.reload} /> : null}
      {data.loading && !data.data ? <Loading what="your dashboard" /> : null}
      {data.data && !goal ? <NoGoal latest={data.data.latest} reached={data.data.reached} /> : null}
      {goal ? <GoalDashboard key={goal.id} goal={goal} onGoalChanged={data.reload} /> : null}
    </Page>
  );
}

function Reached({ reached }: { reached: GoalReached }) {
  return (
    <section class="card" aria-labelledby="reached-heading" data-testid="goal-reached">
      <h2 id="reached-heading">{reached.heading}</h2>
      <div class="alert alert-success">{reached.achievement}</div>
      <p>{reached.nextSteps}</p>
    </section>
  );
}

function NoGoal({ latest, reached }: { latest: Measurement | null; reached: GoalReached | null }) {
  const units = useUnits();
  return (
    <>
      {reached ? <Reached reached={reached} /> : null}
      <div class="card cta">
        {latest ? (
          <>
            <h2>Your latest body fat</h2>
            <p class="big-number" data-testid="latest-body-fat">
              {formatPercent(latest.calculated_body_fat_percentage)}
            </p>
            <p class="muted">
              {METHOD_LABEL[latest.calculation_method]} · {formatQuantity('weight', latest.weight_kg, units)} ·{' '}
              {formatDate(latest.measured_at)}
            </p>
            <p>
              {reached
                ? 'When you are ready, set your next target to get a new calorie plan, timeline and training and diet plan.'
                : 'Set a target to get a calorie plan, a timeline and a training and diet plan.'}
            </p>
            <Link class="button primary" href="/goals/new">
              Start a goal
            </Link>
          </>
        ) : (
          <>
            <h2>Start with a measurement</h2>
            <p>Log your first measurement to see your body fat. Then start a goal from it.</p>
            <div class="actions">
              <Link class="button" href="/goals/new">
                Start a goal
              </Link>
            </div>
          </>
        )}
      </div>
    </>
  );
}

/** A section's own failure, worded for what is missing, with its own Try again. */
function SectionError<T>({ state, what }: { state: Loaded<T>; what: string }) {
  return state.error ? <LoadError message={`${what} could not be loaded. ${state.error}`} retry={state.reload} /> : null;
}

/**
 * Each part loads on its own, so one failed request costs only its own section (with Try again);
 * the goal card shows the goal's own figures until the trend is in.
 */
function GoalDashboard({ goal, onGoalChanged }: { goal: Goal; onGoalChanged: () => void }) {
  const units = useUnits();
  const trendsState = useLoad(() => getTrends(goal.id), [goal.id]);
  const trainingState = useLoad(() => getTrainingPlan(goal.id), [goal.id]);
  const dietState = useLoad(() => getDietPlan(goal.id), [goal.id]);
  const warningsState = useLoad(async () => latestWarnings(await listProgress(goal.id)), [goal.id]);
  const expenditureState = useLoad(getExpenditure, []);
  // Log progress reads the goal's first measurement for its method: read here too, so it is on the
  // device and a check-in can be made offline (docs/DESIGN.md, 'Offline').
  useEffect(() => void getMeasurement(goal.initial_measurement_id).catch(() => undefined), [goal.initial_measurement_id]);
  const trends = trendsState.data ?? null;
  const training = trainingState.data ?? null;
  const diet = dietState.data ?? null;
  const expenditure = expenditureState.data ?? null;
  const warnings = warningsState.data ?? [];

  const cutting = goal.goal_type === 'cutting';
  const limit = cutting ? goal.target_body_fat_percentage : goal.ceiling_body_fat_percentage;
  const progressPercentage = trends?.progress_percentage ?? goal.progress_percentage;
  const progress = Math.max(0, Math.min(100, progressPercentage));
  const calories = diet?.daily_calorie_target ?? goal.target_calories;
  const track = trends ? trackState(trends) : null;
  return (
    <>
      <section class="card goal-card" aria-labelledby="goal-heading">
        <div class="card-head">
          <h2 id="goal-heading">{cutting ? 'Cutting goal' : 'Bulking goal'}</h2>
          {track ? (
            <span class={TRACK_BADGE[track]} data-testid="track-state">
              {TRACK_LABEL[track]}
            </span>
          ) : null}
        </div>
        <dl class="stats">
          <div>
            <dt>Body fat now</dt>
            <dd data-testid="current-bf">{formatPercent(trends?.current_body_fat ?? goal.current_body_fat_percentage)}</dd>
          </div>
          <div>
            <dt>{cutting ? 'Target' : 'Ceiling'}</dt>
            <dd data-testid="goal-limit">{limit === null ? '—' : formatPercent(limit)}</dd>
          </div>
          <div>
            <dt>Started at</dt>
            <dd>{formatPercent(trends?.initial_body_fat ?? goal.initial_body_fat_percentage)}</dd>
          </div>
          <div>
            <dt>Calorie target</dt>
            <dd data-testid="calorie-target">{formatKcal(calories)}/day</dd>
          </div>
          <div>
            <dt>Weeks elapsed</dt>
            <dd>{trends?.weeks_elapsed ?? goal.weeks_elapsed}</dd>
          </div>
          <div>
            <dt>Weekly rate</dt>
            <dd data-testid="weekly-rate">{goal.weekly_rate_percent} % a week</dd>
          </div>
          <div>
            <dt>Expenditure</dt>
            <dd data-testid="dashboard-expenditure">
              {expenditure ? `${formatKcal(expenditure.tdee_kcal)}/day` : expenditureState.loading ? '…' : '—'}
            </dd>
          </div>
        </dl>
        <TargetChangeNote key={goal.updated_at} goalId={goal.id} />
        <GoalForecast trends={trends} loading={trendsState.loading} limit={limit} />
        <ChangeRate
          goal={goal}
          limit={limit}
          onSaved={() => {
            onGoalChanged();
            trendsState.reload();
            dietState.reload();
          }}
        />
        {expenditure ? (
          <p class="muted" data-testid="expenditure-summary">
            {expenditureSummary(expenditure)} <Link href="/daily">Daily log</Link>
          </p>
        ) : null}
        <SectionError state={expenditureState} what="Your expenditure estimate" />
        {trends?.projection_comparison ? (
          <p class="suggestion" data-testid="plan-comparison">
            {comparisonText(trends.projection_comparison)}
          </p>
        ) : null}
        <div class="progress-row">
          <label for="goal-progress">
            Progress: <strong data-testid="progress-percent">{progressPercentage.toFixed(0)} %</strong>
          </label>
          <progress id="goal-progress" max={100} value={progress}>
            {progress.toFixed(0)} %
          </progress>
        </div>
        {trends?.adjustment_suggestion ? <p class="suggestion">{trends.adjustment_suggestion}</p> : null}
      </section>

      {warnings.length ? (
        <section class="warnings" aria-label="Warnings">
          {warnings.map((warning) => (
            <div class="alert alert-warning" key={warning}>
              <strong>Warning: </strong>
              {warning}
            </div>
          ))}
        </section>
      ) : null}
      <SectionError state={warningsState} what="The warnings of your latest check-in" />

      <section class="card" aria-labelledby="chart-heading">
        <h2 id="chart-heading">Body fat and weight</h2>
        {trends ? <BodyFatChart trends={trends} goalType={goal.goal_type} units={units} projection={goal.projection} /> : null}
        {trendsState.loading && !trends ? <Loading what="the chart" /> : null}
        <SectionError state={trendsState} what="Your trend and chart" />
      </section>

      <div class="grid-2">
        <section class="card" aria-labelledby="training-heading">
          <h2 id="training-heading">Training plan</h2>
          {training ? (
            <>
              <p>
                <strong>{plural(training.workout_frequency, 'strength session')} a week</strong> · {training.primary_focus}
              </p>
              <ul class="compact">
                {strength(training.plan_details)
                  .exercises.slice(0, 5)
                  .map((e) => (
                    <li key={e.name}>
                      {e.name}{' '}
                      <span class="muted">
                        {e.sets} × {e.reps}
                      </span>
                    </li>
                  ))}
              </ul>
            </>
          ) : null}
          {trainingState.loading && !training ? <Loading what="the training plan" /> : null}
          <SectionError state={trainingState} what="Your training plan" />
          <Link href="/plans">See the full training plan</Link>
        </section>
        <section class="card" aria-labelledby="diet-heading">
          <h2 id="diet-heading">Diet plan</h2>
          {diet ? (
            <>
              <p>
                <strong>{formatKcal(diet.daily_calorie_target)} a day</strong>
              </p>
              <dl class="macros">
                <div>
                  <dt>Protein</dt>
                  <dd>{diet.protein_grams} g</dd>
                </div>
                <div>
                  <dt>Carbs</dt>
                  <dd>{diet.carbs_grams} g</dd>
                </div>
                <div>
                  <dt>Fat</dt>
                  <dd>{diet.fat_grams} g</dd>
                </div>
              </dl>
            </>
          ) : null}
          {dietState.loading && !diet ? <Loading what="the diet plan" /> : null}
          <SectionError state={dietState} what="Your diet plan" />
          <Link href="/plans">See the full diet plan</Link>
        </section>
      </div>
    </>
  );
}
