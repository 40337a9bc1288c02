/** The label of a code, or the code itself when unknown (never throws on stale data). */
export function labelOf<T extends string>(labels: Record<T, string>, code: string): string {
  return (labels as Record<string, string>)[code] ?? code;
}
