/** The model every picker starts with (Live, Score a video, Models, evaluate, score): the newest best model. */
export function defaultModel<T extends { id: number; role: string; createdAt: string }>(
  models: readonly T[],
): T | null {
  const newest = (a: T, b: T) => (a.createdAt === b.createdAt ? b.id - a.id : a.createdAt < b.createdAt ? 1 : -1);
  const sorted = [...models].sort(newest);
  return sorted.find((m) => m.role === 'best') ?? sorted[0] ?? null;
}
