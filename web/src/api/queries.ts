/** The reads and writes the screens make, named for what they mean. */
import { api, ApiError, apiFile } from './client.ts';
import type {
  CheckInResult,
  DietPlan,
  Expenditure,
  Goal,
  GoalTarget,
  ImportJob,
  ImportQuery,
  Intake,
  IntakeBody,
  IntakeList,
  Measurement,
  ProgressEntry,
  GoalPreview,
  RatePreview,
  TrainingPlan,
  Trends,
  User,
  WeightSeries,
} from './types.ts';
import { uploadFile, type UploadOptions } from './upload.ts';

export const activeGoal = async (): Promise<Goal | null> =>
  (await api<{ goals: Goal[] }>('GET', '/goals?status=active&limit=1')).goals[0] ?? null;

/** A page of goals, whatever their status, newest first (the API sorts by started_at). */
const listGoals = async (limit: number, offset?: number): Promise<Goal[]> =>
  (await api<{ goals: Goal[] }>('GET', `/goals?limit=${limit}${offset === undefined ? '' : `&offset=${offset}`}`)).goals;

export const listMeasurements = (limit: number, offset = 0) =>
  api<{ measurements: Measurement[]; total: number }>('GET', `/measurements?limit=${limit}&offset=${offset}`);

export const latestMeasurement = async (): Promise<Measurement | null> => (await listMeasurements(1)).measurements[0] ?? null;

export const getMeasurement = (id: string) => api<Measurement>('GET', `/measurements/${encodeURIComponent(id)}`);
/** `idempotencyKey` (api/idempotency.ts): the same on a retry of the same submission, so it creates nothing twice. */
export const createMeasurement = (body: Record<string, unknown>, idempotencyKey?: string) =>
  api<Measurement>('POST', '/measurements', { body, idempotencyKey });
/** 204 when deleted; 409 measurement_in_use for a goal's start or a check-in's measurement. */
export const deleteMeasurement = (id: string) => api<void>('DELETE', `/measurements/${encodeURIComponent(id)}`);

export const getGoal = (id: string) => api<Goal>('GET', `/goals/${encodeURIComponent(id)}`);
export const createGoal = (body: Record<string, unknown>, idempotencyKey?: string) => api<Goal>('POST', '/goals', { body, idempotencyKey });
/** What createGoal with this body would plan (target, weeks and their 80 % range), without starting it. */
export const previewGoal = (body: Record<string, unknown>) => api<GoalPreview>('POST', '/goals/preview', { body });
export const abandonGoal = (id: string) => api<Goal>('PATCH', `/goals/${id}`, { body: { status: 'abandoned' } });
export const previewRate = (id: string, rate: number) => api<RatePreview>('GET', `/goals/${id}/rate-preview?weekly_rate_percent=${rate}`);
export const changeRate = (id: string, rate: number) => api<Goal>('PATCH', `/goals/${id}`, { body: { weekly_rate_percent: rate } });

/** A check-in; `replace` replaces the goal's check-in of the same day instead of being refused (check_in_same_day). */
export const logProgress = (goalId: string, measurementId: string, notes: string | null, idempotencyKey?: string, replace = false) =>
  api<CheckInResult>('POST', `/goals/${goalId}/progress`, {
    body: { measurement_id: measurementId, notes, ...(replace ? { replace: true } : {}) },
    idempotencyKey,
  });
/** Undo the goal's latest check-in: the goal and its plans go back to what they were before it. */
export const deleteCheckIn = (goalId: string, entryId: string) =>
  api<void>('DELETE', `/goals/${encodeURIComponent(goalId)}/progress/${encodeURIComponent(entryId)}`);
/** The goal's calorie targets as they took effect, oldest first, each with its reason. */
export const getTargets = (goalId: string) => api<GoalTarget[]>('GET', `/goals/${encodeURIComponent(goalId)}/targets`);
/** The API's largest page (Paging in src/core/schemas.ts). */
const MAX_PAGE = 100;

/**
 * Every item, page after page, until a page comes back shorter than asked: the check-ins come as a
 * bare array with no total, so a full page is the only sign that more may follow.
 */
async function allPages<T>(page: (limit: number, offset: number) => Promise<T[]>, limit = MAX_PAGE): Promise<T[]> {
  const items: T[] = [];
  for (;;) {
    const next = await page(limit, items.length);
    items.push(...next);
    if (next.length < limit) return items;
  }
}

/** Every check-in of the goal, oldest first (one page held only the first 100). */
export const listProgress = (goalId: string) =>
  allPages((limit, offset) => api<ProgressEntry[]>('GET', `/goals/${goalId}/progress?limit=${limit}&offset=${offset}`));

/** Every goal, newest first. */
export const allGoals = () => allPages(listGoals);

/** The goal started last, whatever its status. */
export const latestGoal = async (): Promise<Goal | null> => (await listGoals(1))[0] ?? null;

export const getTrends = (goalId: string) => api<Trends>('GET', `/goals/${goalId}/trends`);
export const getTrainingPlan = (goalId: string) => api<TrainingPlan>('GET', `/goals/${goalId}/training-plan`);
export const getDietPlan = (goalId: string) => api<DietPlan>('GET', `/goals/${goalId}/diet-plan`);

export const updateProfile = (body: Partial<User>) => api<User>('PATCH', '/users/me', { body });
export const deleteAccount = (password: string) => api<void>('DELETE', '/users/me', { body: { password } });
export const exportData = (format: 'json' | 'csv') => apiFile(`/users/me/export?format=${format}`);
export const changeEmail = (password: string, newEmail: string) =>
  api<User>('PUT', '/users/me/email', { body: { password, new_email: newEmail } });
export const changePassword = (currentPassword: string, newPassword: string) =>
  api<void>('PUT', '/users/me/password', { body: { current_password: currentPassword, new_password: newPassword } });
export const register = (body: Record<string, unknown>) => api<User>('POST', '/users', { body, auth: false });

/** Replaces the day's intake: what the body leaves out is not kept (no `complete` means a complete day). */
export const saveIntake = (date: string, body: IntakeBody) => api<Intake>('PUT', `/users/me/intake/${date}`, { body });
const range = (from: string, to?: string) => `from=${from}${to === undefined ? '' : `&to=${to}`}`;
export const getIntake = (from: string, to?: string) => api<IntakeList>('GET', `/users/me/intake?${range(from, to)}`);
export const getWeights = (from: string, to?: string) => api<WeightSeries>('GET', `/users/me/weights?${range(from, to)}`);
export const deleteWeighIn = (date: string) => api<void>('DELETE', `/users/me/weights/${date}`);
export const deleteIntake = (date: string) => api<void>('DELETE', `/users/me/intake/${date}`);

/** Sends an export file to import (202: the import's job, to follow with getImport); a file that cannot be imported at all is refused at once. */
export function startImport(file: Blob, query: ImportQuery, options: UploadOptions): Promise<ImportJob> {
  const search = new URLSearchParams(
    Object.entries(query).flatMap(([name, value]) => (value === undefined ? [] : [[name, String(value)]])),
  );
  return uploadFile<ImportJob>(`/users/me/imports?${search}`, file, options);
}
export const getImport = (id: string, signal?: AbortSignal) =>
  api<ImportJob>('GET', `/users/me/imports/${encodeURIComponent(id)}`, signal ? { signal } : {});
/** The person's newest import, whatever its status; null before any. */
export const latestImport = async (signal?: AbortSignal): Promise<ImportJob | null> =>
  (await api<{ imports: ImportJob[] }>('GET', '/users/me/imports?limit=1', signal ? { signal } : {})).imports[0] ?? null;

/** The expenditure estimate, or null before any weight is logged (the API's 404 no_weight_data). */
export async function getExpenditure(): Promise<Expenditure | null> {
  try {
    return await api<Expenditure>('GET', '/users/me/expenditure');
  } catch (error) {
    if (error instanceof ApiError && error.problem.code === 'no_weight_data') return null;
    throw error;
  }
}
