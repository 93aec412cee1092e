import type { z } from 'zod';
import { formatZodError } from '../../contracts/format-error';
import {
  judgeInputSchema, reviseInputSchema, type JudgeInput, type JudgeResult, type ReviseInput, type ReviseResult,
} from '../../contracts/refinement';
import { invalidInput } from '../failures';
import { judgeDraftOffline } from './offline-judge';
import { reviseDraftOffline } from './offline-reviser';

/** Parses an activity's input at the boundary: a bad one fails at once instead of being retried. */
function parse<T>(schema: z.ZodType<T>, input: unknown, prefix: string): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw invalidInput(formatZodError(parsed.error, prefix));
  return parsed.data;
}

/** The offline judge and reviser of the refinement loop: deterministic, no model, no side effects. */
export function createReviewActivities() {
  return {
    async judgeDraft(input: JudgeInput): Promise<JudgeResult> {
      return judgeDraftOffline(parse(judgeInputSchema, input, 'judgeDraft'));
    },
    async reviseDraft(input: ReviseInput): Promise<ReviseResult> {
      return reviseDraftOffline(parse(reviseInputSchema, input, 'reviseDraft'));
    },
  };
}
