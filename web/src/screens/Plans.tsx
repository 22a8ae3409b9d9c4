import type { DietPlan, Goal, TrainingPlan } from '../api/types.ts';
import { activeGoal, getDietPlan, getTrainingPlan } from '../api/queries.ts';
import { TargetChangeNote, TargetHistory } from '../components/TargetChange.tsx';
import { Markdown } from '../components/markdown.tsx';
import { Loading, LoadError, Page } from '../components/page.tsx';
import { formatKcal, plural } from '../format.ts';
import { useLoad } from '../load.ts';
import { cardio, mealTiming, recovery, strength } from '../plans.ts';
import { Link } from '../router.tsx';

export function Plans() {
  const data = useLoad(async () => {
    const goal = await activeGoal();
    if (!goal) return null;
    const [training, diet] = await Promise.all([getTrainingPlan(goal.id), getDietPlan(goal.id)]);
    return { goal, training, diet };
  }, []);
  return (
    <Page title="Plans" heading="Your plans">
      {data.error ? <LoadError message={data.error} retry={data.reload} /> : null}
      {data.loading && data.data === undefined ? <Loading what="your plans" /> : null}
      {data.data === null ? (
        <div class="card">
          <p>Your training and diet plans come with a goal.</p>
          <Link class="button primary" href="/goals/new">
            Start a goal
          </Link>
        </div>
      ) : null}
      {data.data ? <PlanDetails {...data.data} /> : null}
    </Page>
  );
}

function PlanDetails({ goal, training, diet }: { goal: Goal; training: TrainingPlan; diet: DietPlan }) {
  const s = strength(training.plan_details);
  const c = cardio(training.plan_details);
  const r = recovery(training.plan_details);
  const meals = mealTiming(diet.meal_timing);
  const kcal = (grams: number, perGram: number) => Math.round(((grams * perGram) / diet.daily_calorie_target) * 100);
  return (
    <>
      <p class="lead">
        For your {goal.goal_type} goal. The diet plan follows your check-ins: it is recomputed every time you log progress.
      </p>
      <section class="card" aria-labelledby="training-title">
        <h2 id="training-title">Training plan</h2>
        <p>
          <strong>{plural(training.workout_frequency, 'strength session')} a week</strong> · {training.primary_focus}
        </p>
        {s.description ? <p>{s.description}</p> : null}
        <div class="table-wrap">
          <table>
            <caption>Exercises</caption>
            <thead>
              <tr>
                <th scope="col">Exercise</th>
                <th scope="col">Sets × reps</th>
                <th scope="col">Rest</th>
              </tr>
            </thead>
            <tbody>
              {s.exercises.map((e) => (
                <tr key={e.name}>
                  <th scope="row">{e.name}</th>
                  <td>
                    {e.sets} × {e.reps}
                  </td>
                  <td>{e.rest ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {s.progression ? (
          <p>
            <strong>Progression:</strong> {s.progression}
          </p>
        ) : null}
        {s.notes ? <p class="muted">{s.notes}</p> : null}

        <h3>Cardio{c.frequency ? ` · ${plural(Number(c.frequency), 'session')} a week` : ''}</h3>
        {c.description ? <p>{c.description}</p> : null}
        <ul>
          {c.activities.map((a) => (
            <li key={a.type}>
              <strong>{a.type}</strong>
              {a.duration ? `, ${a.duration}` : ''}
              {a.intensity ? ` — ${a.intensity}` : ''}
              {a.examples.length ? <span class="muted"> (for example {a.examples.join(', ')})</span> : null}
            </li>
          ))}
        </ul>
        {c.notes ? <p class="muted">{c.notes}</p> : null}

        <h3>Recovery</h3>
        <ul>
          {r.restDays ? <li>{plural(Number(r.restDays), 'rest day')} a week</li> : null}
          {r.sleep ? <li>Sleep {r.sleep} a night</li> : null}
        </ul>
        {r.notes ? <p class="muted">{r.notes}</p> : null}
        {training.notes ? <p>{training.notes}</p> : null}
      </section>

      <section class="card" aria-labelledby="diet-title">
        <h2 id="diet-title">Diet plan</h2>
        <p class="big-number" data-testid="diet-calories">
          {formatKcal(diet.daily_calorie_target)} a day
        </p>
        <TargetChangeNote goalId={goal.id} />
        <dl class="macros">
          <div>
            <dt>Protein</dt>
            <dd>
              {diet.protein_grams} g <span class="muted">({kcal(diet.protein_grams, 4)} %)</span>
            </dd>
          </div>
          <div>
            <dt>Carbs</dt>
            <dd>
              {diet.carbs_grams} g <span class="muted">({kcal(diet.carbs_grams, 4)} %)</span>
            </dd>
          </div>
          <div>
            <dt>Fat</dt>
            <dd>
              {diet.fat_grams} g <span class="muted">({kcal(diet.fat_grams, 9)} %)</span>
            </dd>
          </div>
        </dl>
        <h3>Meal timing</h3>
        <ul>
          {meals.mealsPerDay ? <li>{meals.mealsPerDay} meals a day</li> : null}
          {meals.preWorkout.timing ? (
            <li>
              <strong>Before training</strong> ({meals.preWorkout.timing}): {meals.preWorkout.macros}
              {meals.preWorkout.examples.length ? ` — ${meals.preWorkout.examples.join(', ')}` : ''}
            </li>
          ) : null}
          {meals.postWorkout.timing ? (
            <li>
              <strong>After training</strong> ({meals.postWorkout.timing}): {meals.postWorkout.macros}
              {meals.postWorkout.examples.length ? ` — ${meals.postWorkout.examples.join(', ')}` : ''}
            </li>
          ) : null}
        </ul>
        {meals.notes ? <p class="muted">{meals.notes}</p> : null}
        <h3>Guidelines</h3>
        <Markdown text={diet.guidelines} headingLevel={4} />
        <TargetHistory goalId={goal.id} />
      </section>
    </>
  );
}
