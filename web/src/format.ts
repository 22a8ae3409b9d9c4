/** Dates and numbers as a person reads them, in the browser's locale. */
const dateFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
});

export const formatDate = (iso: string) => dateFormat.format(new Date(iso));
export const formatDateTime = (iso: string) => dateTimeFormat.format(new Date(iso));
export const formatPercent = (value: number, decimals = 1) => `${value.toFixed(decimals)} %`;

const kcalFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
/** "2,450 kcal": every calorie figure through one formatter, so a screen never mixes digit grouping. */
export const formatKcal = (kcal: number) => `${kcalFormat.format(kcal)} kcal`;

/** "−0.7" / "+1.2": a change with its sign, using a real minus sign. */
export function signed(value: number, decimals = 1): string {
  const text = Math.abs(value).toFixed(decimals);
  if (Number(text) === 0) return text;
  return value < 0 ? `−${text}` : `+${text}`;
}

export const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** The value for <input type="datetime-local">: local time, minutes. */
export function localDateTimeValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
