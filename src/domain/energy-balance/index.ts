// Energy balance from daily logs (docs/SCIENCE.md 7–10): trend weight, Forbes partitioning, adaptive
// expenditure, rate-based targets and projections. Pure: dates and data come in as arguments.
export * from './calendar.ts';
export * from './leastSquares.ts';
export * from './trendWeight.ts';
export * from './forbes.ts';
export * from './expenditure.ts';
export * from './weeklyRate.ts';
export * from './projection.ts';
export * from './goalPlan.ts';
export * from './forecast.ts';
export * from './targetSmoothing.ts';
