// The two-unknown Kalman filter behind the adaptive expenditure (expenditure.ts explains why).
// State: the water-free morning weight (kg) and TDEE (kcal/day), with their covariance.
// Model, per day:   weight' = weight + (intake − TDEE) / ρ        TDEE' = TDEE + drift
// Observation:      scale   = weight + water noise

export interface FilterState {
  weightKg: number;
  tdeeKcal: number;
  /** covariance [[pww, pwe], [pwe, pee]] of (weight, TDEE) */
  pww: number;
  pwe: number;
  pee: number;
}

/** The first weigh-in, as noisy as any, and the prior TDEE (the equation) with its variance. */
export function startFilter(weightKg: number, waterVar: number, tdeeKcal: number, tdeeVar: number): FilterState {
  return { weightKg, tdeeKcal, pww: waterVar, pwe: 0, pee: tdeeVar };
}

export interface DayBalance {
  /** what was eaten (logged, or the best guess) */
  intakeKcal: number;
  /** variance of that intake, kcal² */
  intakeVar: number;
  /** false when nothing is known about intake: the weight moves, but says nothing about TDEE */
  coupled: boolean;
  /** kcal per kg of weight change */
  rho: number;
  /** variance of the day's TDEE drift, kcal² */
  driftVar: number;
}

/** Carries the state over one day of eating. */
export function predictDay(s: FilterState, day: DayBalance): FilterState {
  const a = day.coupled ? -1 / day.rho : 0; // ∂weight'/∂TDEE
  const intake = day.coupled ? day.intakeKcal : s.tdeeKcal;
  return {
    weightKg: s.weightKg + (intake - s.tdeeKcal) / day.rho,
    tdeeKcal: s.tdeeKcal,
    pww: s.pww + 2 * a * s.pwe + a * a * s.pee + day.intakeVar / (day.rho * day.rho),
    pwe: s.pwe + a * s.pee,
    pee: s.pee + day.driftVar,
  };
}

/**
 * Folds in a weigh-in. The surprise (scale − predicted weight) is clipped to `maxSurpriseSd`
 * standard deviations (a Huber-style guard): a mistyped or freak weigh-in moves the estimates
 * only so far, while a real step, such as a new scale, is still absorbed over a few days.
 */
export function updateWithWeighIn(s: FilterState, scaleKg: number, waterVar: number, maxSurpriseSd: number): FilterState {
  const variance = s.pww + waterVar;
  const kw = s.pww / variance;
  const ke = s.pwe / variance;
  const bound = maxSurpriseSd * Math.sqrt(variance);
  const surprise = Math.min(bound, Math.max(-bound, scaleKg - s.weightKg));
  return {
    weightKg: s.weightKg + kw * surprise,
    tdeeKcal: s.tdeeKcal + ke * surprise,
    pww: s.pww - kw * s.pww,
    pwe: s.pwe - kw * s.pwe,
    pee: s.pee - ke * s.pwe,
  };
}
