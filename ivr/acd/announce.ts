// What a waiting caller is told between stretches of music: their place in the queue and about how long is left
// ("您前面还有" 3 "位来电在等候。" "大约还要等" 5 "分钟。", or "下一位就是您"), built from catalogue prompts.
import type { PromptRef } from '../port.js';
import { numberPrompts } from '../../prompts/say.js';

/** Callers ahead (0: the caller is next) and the estimated minutes (0: not said). */
export function positionPrompts(ahead: number, minutes: number): PromptRef[] {
  if (ahead <= 0) return ['queue-next'];
  const out: PromptRef[] = ['queue-position-before', ...numberPrompts(Math.min(ahead, 9999)), 'queue-position-after'];
  if (minutes > 0) out.push('queue-wait-before', ...numberPrompts(Math.min(minutes, 9999)), 'queue-wait-after');
  return out;
}

/**
 * Estimated wait in whole minutes (rounded up): each caller ahead, and this one, takes an average conversation, shared
 * among the lawyers who serve the line (at least one, so an unstaffed line still gets an honest non-zero figure).
 */
export function estimatedMinutes(ahead: number, averageHandleMs: number, staffed: number): number {
  if (ahead <= 0) return 0;
  return Math.max(1, Math.ceil((ahead * averageHandleMs) / Math.max(1, staffed) / 60_000));
}
