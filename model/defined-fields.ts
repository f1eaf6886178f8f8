/** The fields of a settings object that are set, so a later layer's `undefined` never hides an earlier value. */
export function definedFields<T extends object>(value: T | undefined): Partial<T> {
  if (value === undefined) return {};
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}
