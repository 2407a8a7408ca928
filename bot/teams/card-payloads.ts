import { z } from 'zod';
import { isLocalDate } from '../domain/index.js';
import { ACTION_VERBS, DIGEST_VERBS, REPORT_VERBS } from '../cards/verbs.js';

/**
 * What a card button may send, whether it arrived as an Action.Execute invoke (verb +
 * data + inputs) or as its Action.Submit fallback (data.verb + inputs). Teams sends an
 * empty input as "", so text fields default to "" and the domain says what is missing.
 */
const id = z.string().trim().min(1).max(200);
const version = z.string().min(1).max(200);
const text = z.string().max(4000).default('');

export const cardPayloadSchema = z.discriminatedUnion('verb', [
  z.object({ verb: z.literal(ACTION_VERBS.list) }),
  z.object({ verb: z.literal(ACTION_VERBS.show), actionId: id }),
  z.object({ verb: z.literal(ACTION_VERBS.markDone), actionId: id, version }),
  z.object({ verb: z.literal(ACTION_VERBS.addUpdate), actionId: id, version, note: text }),
  z.object({
    verb: z.literal(ACTION_VERBS.requestDate),
    actionId: id,
    version,
    proposedDate: z.string().max(40).default('').refine((v) => v === '' || isLocalDate(v.slice(0, 10)), 'must be a date'),
    reason: text,
  }),
  z.object({ verb: z.literal(REPORT_VERBS.open) }),
  z.object({
    verb: z.literal(REPORT_VERBS.submit),
    reportId: id,
    progress: text,
    asks: text,
    risks: text,
    data: text,
    rag: z.string().max(10).default(''),
  }),
  z.object({ verb: z.literal(DIGEST_VERBS.approveDate), actionId: id, version }),
  z.object({ verb: z.literal(DIGEST_VERBS.refuseDate), actionId: id, version }),
  z.object({ verb: z.literal(DIGEST_VERBS.close), actionId: id, version }),
]);

export type CardPayload = z.infer<typeof cardPayloadSchema>;

export function parseCardPayload(raw: unknown): CardPayload | null {
  const parsed = cardPayloadSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}
