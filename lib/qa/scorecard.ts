// A QA scorecard and how a filled one becomes a total. Each criterion carries a weight (the weights of a scorecard
// sum to 100) and a kind:
// - score: the supervisor rates 0..SCORE_MAX; the criterion earns weight * rating / SCORE_MAX;
// - phrase_used: a standard phrase (规范用语) was said — true earns the whole weight;
// - phrase_avoided: none of the banned phrases (服务禁语) was said — true earns the whole weight.
// The server computes the total; the page shows the same arithmetic only as a preview.

export const CRITERION_KINDS = ['score', 'phrase_used', 'phrase_avoided'] as const;
export type CriterionKind = (typeof CRITERION_KINDS)[number];
export const SCORE_MAX = 5;

export interface Criterion {
  /** Stable key of the answer (`legal_basis`). */
  id: string;
  /** What the supervisor sees, in Chinese. */
  label: string;
  weight: number;
  kind: CriterionKind;
  /** The phrases to listen for (phrase kinds). */
  phrases?: string[];
}

export type Answers = Record<string, number | boolean>;
export interface Problem { field: string; message: string }

/** Problems of a scorecard's criteria, each with the field it is about (`criteria.2.weight`); empty when sound. */
export function checkCriteria(criteria: Criterion[]): Problem[] {
  const out: Problem[] = [];
  if (criteria.length === 0) out.push({ field: 'criteria', message: 'needs at least one criterion' });
  const seen = new Set<string>();
  criteria.forEach((c, i) => {
    if (seen.has(c.id)) out.push({ field: `criteria.${i}.id`, message: `duplicate id ${c.id}` });
    seen.add(c.id);
    if (!(c.weight > 0)) out.push({ field: `criteria.${i}.weight`, message: 'must be above 0' });
    if (c.kind !== 'score' && !(c.phrases && c.phrases.length)) out.push({ field: `criteria.${i}.phrases`, message: `a ${c.kind} criterion lists its phrases` });
  });
  const sum = criteria.reduce((s, c) => s + c.weight, 0);
  // Weights may have a decimal; compare in hundredths so 33.33 + 33.33 + 33.34 is 100.
  if (criteria.length && Math.round(sum * 100) !== 10_000) out.push({ field: 'criteria', message: `weights must sum to 100 (they sum to ${sum})` });
  return out;
}

/** Problems of a filled scorecard: every criterion answered with a value of its kind, nothing else. */
export function checkAnswers(criteria: Criterion[], answers: Record<string, unknown>): Problem[] {
  const out: Problem[] = [];
  const ids = new Set(criteria.map((c) => c.id));
  for (const key of Object.keys(answers)) if (!ids.has(key)) out.push({ field: `answers.${key}`, message: 'is not a criterion of the active scorecard' });
  for (const c of criteria) {
    const v = answers[c.id];
    const field = `answers.${c.id}`;
    if (v === undefined) out.push({ field, message: 'is required' });
    else if (c.kind === 'score' && !(typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= SCORE_MAX)) {
      out.push({ field, message: `must be a whole number 0..${SCORE_MAX}` });
    } else if (c.kind !== 'score' && typeof v !== 'boolean') out.push({ field, message: 'must be true or false' });
  }
  return out;
}

/** The weighted total, 0..100, to two decimals. Call only with answers that passed checkAnswers. */
export function totalOf(criteria: Criterion[], answers: Answers): number {
  const weights = criteria.reduce((s, c) => s + c.weight, 0);
  let earned = 0;
  for (const c of criteria) {
    const v = answers[c.id];
    earned += c.kind === 'score' ? (c.weight * Number(v)) / SCORE_MAX : v === true ? c.weight : 0;
  }
  // Scaled by the weights' sum so a scorecard summing to 99.99 by rounding still tops out at exactly 100.
  return Math.round((earned / weights) * 100 * 100) / 100;
}
