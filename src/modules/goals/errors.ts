import { conflict } from '../../core/errors.ts';

/**
 * One active goal at a time (docs/DESIGN.md, 'One active goal'): refused by createGoal, and by the
 * partial unique index when two requests race past that check (src/http/errors.ts).
 */
export const activeGoalExists = () => conflict('You already have an active goal; complete or abandon it first', 'active_goal_exists');
