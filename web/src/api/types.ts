/**
 * Names for the API's shapes the screens use, all taken from the types generated from /openapi.json
 * (generated/openapi.ts, `npm run generate:api`): a change of a schema shows here as a type error.
 * The API speaks metric units only.
 */
import type { paths } from './generated/openapi.ts';
import type { MEASURED_SITES } from './generated/rules.ts';

/** The JSON body the API answers `method` on `path` with, for `status`. */
type Answer<P extends keyof paths, M extends keyof paths[P], S extends number = 200> = paths[P][M] extends { responses: infer R }
  ? S extends keyof R
    ? R[S] extends { content: { 'application/json': infer B } }
      ? B
      : never
    : never
  : never;

/** The JSON body `method` on `path` takes. */
type Body<P extends keyof paths, M extends keyof paths[P]> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? B
  : never;

export type User = Answer<'/api/v1/users/me', 'get'>;
export type Measurement = Answer<'/api/v1/measurements/{measurement_id}', 'get'>;
export type Goal = Answer<'/api/v1/goals/{goal_id}', 'get'>;
export type ProgressEntry = Answer<'/api/v1/goals/{goal_id}/progress', 'get'>[number];
/** A check-in's answer: the entry and the calorie target's row it wrote. */
export type CheckInResult = Answer<'/api/v1/goals/{goal_id}/progress', 'post', 201>;
export type GoalTarget = Answer<'/api/v1/goals/{goal_id}/targets', 'get'>[number];
export type Trends = Answer<'/api/v1/goals/{goal_id}/trends', 'get'>;
export type Projection = NonNullable<Goal['projection']>;
export type ProjectionComparison = NonNullable<Trends['projection_comparison']>;
export type WeightSeries = Answer<'/api/v1/users/me/weights', 'get'>;
export type Expenditure = Answer<'/api/v1/users/me/expenditure', 'get'>;
export type Intake = Answer<'/api/v1/users/me/intake/{date}', 'put'>;
export type IntakeBody = Body<'/api/v1/users/me/intake/{date}', 'put'>;
export type IntakeList = Answer<'/api/v1/users/me/intake', 'get'>;
export type TrainingPlan = Answer<'/api/v1/goals/{goal_id}/training-plan', 'get'>;
export type DietPlan = Answer<'/api/v1/goals/{goal_id}/diet-plan', 'get'>;
export type RatePreview = Answer<'/api/v1/goals/{goal_id}/rate-preview', 'get'>;
export type GoalPreview = Answer<'/api/v1/goals/preview', 'post'>;
export type TokenPair = Answer<'/api/v1/auth/login', 'post'>;
export type ImportJob = Answer<'/api/v1/users/me/imports/{import_id}', 'get'>;
export type ImportReport = ImportJob['report'];
export type ImportFormat = ImportJob['format'];
export type OnConflict = ImportJob['on_conflict'];
/** What POST /users/me/imports takes in its query, besides the file that is its body. */
export type ImportQuery = NonNullable<paths['/api/v1/users/me/imports']['post']['parameters']['query']>;

export type Sex = User['gender'];
export type Method = User['preferred_calculation_method'];
export type ActivityLevel = User['activity_level'];
export type GoalType = Goal['goal_type'];
/** Every site any method measures. */
export type SiteKey = (typeof MEASURED_SITES)[Method][Sex][number];

type WireProblem = Answer<'/api/v1/users/me', 'get', 401>;
/**
 * Problem details (RFC 9457) as the API sends them, and as the client makes them itself for an
 * answer that never came or was not JSON (status 0 or the answer's, with only a detail).
 */
export type Problem = Omit<WireProblem, 'type' | 'title' | 'instance'> & Partial<Pick<WireProblem, 'type' | 'title' | 'instance'>>;
/** How one signs in and recovers an account here (single sign-on: null when it is not set up). */
export type AuthOptions = Answer<'/api/v1/auth/options', 'get'>;
/** What a first sign-in through the provider needs next, with the name and email the provider gave. */
export type SsoPending = Answer<'/api/v1/auth/oidc/pending', 'post'>;
export type SsoSignupBody = Body<'/api/v1/auth/oidc/signup', 'post'>;
