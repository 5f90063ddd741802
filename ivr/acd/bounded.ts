// Waits on `p` for at most `ms`; undefined when it took longer (the work goes on, nobody waits for it).
export function bounded<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let t: NodeJS.Timeout | undefined;
  return Promise.race([p, new Promise<undefined>((r) => { t = setTimeout(() => r(undefined), ms); t.unref(); })]).finally(() => clearTimeout(t));
}
