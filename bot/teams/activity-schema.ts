import { z } from 'zod';

/**
 * botbuilder puts the ids it replies with into URLs and headers: a control character, a lone
 * surrogate or non-Latin-1 text there throws inside the turn. Teams' ids are printable ASCII.
 */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const teamsId = (max: number) => z.string().max(max).regex(PRINTABLE_ASCII, 'must be printable ASCII, like every Teams id');

const account = z
  .object({
    id: teamsId(512).min(1),
    name: z.string().max(512).nullable().optional(),
    aadObjectId: z.string().max(128).optional(),
  })
  .passthrough();

const objectRecord = z.record(z.string(), z.unknown());

/**
 * The least an incoming activity must have before botbuilder sees it. botbuilder answers
 * a malformed one with a 500 and its own message; here it gets a 400 that says what is missing.
 * Extra fields pass through: Teams adds new ones without notice. The optional fields the bot or
 * botbuilder read are typed too: a number where Teams sends a string (a locale, a tenant id)
 * otherwise fails later, inside the turn, when the reply is serialised.
 */
export const incomingActivitySchema = z
  .object({
    type: z.string().min(1).max(64),
    id: teamsId(512).optional(),
    name: z.string().max(256).optional(),
    channelId: z.string().min(1).max(64),
    serviceUrl: z
      .string()
      .max(2048)
      .url()
      .refine((u) => /^https:\/\//.test(u) || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//.test(u), 'must be https (or http on loopback)'),
    conversation: z
      .object({
        id: teamsId(1024).min(1),
        conversationType: z.string().max(64).optional(),
        tenantId: z.string().max(128).optional(),
        isGroup: z.boolean().optional(),
      })
      .passthrough(),
    from: account,
    recipient: account.optional(),
    text: z.string().max(28_000).optional(),
    locale: z.string().max(64).optional(),
    replyToId: teamsId(512).optional(),
    timestamp: z.string().max(64).optional(),
    channelData: objectRecord.optional(),
    membersAdded: z.array(account).optional(),
    membersRemoved: z.array(account).optional(),
    entities: z.array(objectRecord).optional(),
    attachments: z.array(objectRecord).optional(),
  })
  .passthrough();
