import { z } from 'zod';
import { isLocalDate } from '../domain/index.js';
import { ACTION_VERBS, CHANNEL_VERBS, DIGEST_VERBS, REPORT_VERBS } from '../cards/verbs.js';

/**
 * What a card button may send, whether it arrived as an Action.Execute invoke (verb +
 * data + inputs) or as its Action.Submit fallback (data.verb + inputs). Teams sends an
 * empty input as "", so text fields default to "" and the domain says what is missing.
 */
const id = z.string().trim().min(1).max(200);
const version = z.string().min(1).max(200);
const text = z.string().max(4000).default('');
/** The Monday that names a week's channel card. */
const week = z.string().refine((v) => isLocalDate(v), 'must be a date');

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
  z.object({ verb: z.literal(CHANNEL_VERBS.view), week }),
  z.object({ verb: z.literal(CHANNEL_VERBS.markDone), actionId: id, version, week }),
  z.object({ verb: z.literal(CHANNEL_VERBS.addUpdate), actionId: id, version, week, note: text }),
]);

export type CardPayload = z.infer<typeof cardPayloadSchema>;

/**
 * The channel card has one "Add an update" box per action, each with its own input id (ids must be
 * unique on a card); the button names its box in `noteInput`, and the note is read from there.
 */
function withChannelNote(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const record = raw as Record<string, unknown>;
  if (record['verb'] !== CHANNEL_VERBS.addUpdate) return raw;
  const input = record['noteInput'];
  const { noteInput: _input, ...rest } = record;
  if (typeof input !== 'string' || !/^note-\d{1,3}$/.test(input)) return { ...rest, note: undefined };
  const { [input]: note, ...others } = rest;
  return { ...others, note };
}

export function parseCardPayload(raw: unknown): CardPayload | null {
  const parsed = cardPayloadSchema.safeParse(withChannelNote(raw));
  return parsed.success ? parsed.data : null;
}
