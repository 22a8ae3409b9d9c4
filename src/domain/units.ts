/** The international avoirdupois pound, exactly (by definition since 1959). */
export const KG_PER_LB = 0.45359237;
