import { conflict } from '../../core/errors.ts';

/**
 * A measurement makes at most one check-in: refused by logProgress, and by the unique index when
 * two requests race past that check (src/http/errors.ts).
 */
export const measurementAlreadyLinked = () =>
  conflict('This measurement is already linked to a progress entry', 'measurement_already_linked');
