import { z } from 'zod';

/**
 * The least an incoming activity must have before botbuilder sees it. botbuilder answers
 * a malformed one with a 500 and its own message; here it gets a 400 that says what is missing.
 * Extra fields pass through: Teams adds new ones without notice.
 */
const account = z.object({ id: z.string().min(1).max(512) }).passthrough();

export const incomingActivitySchema = z
  .object({
    type: z.string().min(1).max(64),
    id: z.string().max(512).optional(),
    channelId: z.string().min(1).max(64),
    serviceUrl: z
      .string()
      .max(2048)
      .url()
      .refine((u) => /^https:\/\//.test(u) || /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//.test(u), 'must be https (or http on loopback)'),
    conversation: z.object({ id: z.string().min(1).max(1024) }).passthrough(),
    from: account,
    recipient: account.optional(),
    text: z.string().max(28_000).optional(),
  })
  .passthrough();
