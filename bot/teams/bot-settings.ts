import { z } from 'zod';

/**
 * Bot settings not yet in bot/config.ts (owned elsewhere): read once in the composition root.
 * EXEC_CHANNEL_ID: the conversation id of the Exec team channel (19:...@thread.tacv2) where the
 *   app is installed; empty = no channel cards.
 * SWEEP_INTERVAL_MINUTES: how often the in-process scheduler sweeps in working hours (default 15).
 */
const schema = z.object({
  EXEC_CHANNEL_ID: z
    .string()
    .trim()
    .max(512)
    .optional()
    .transform((v) => (v ? v : null)),
  SWEEP_INTERVAL_MINUTES: z.coerce.number().int().min(1).max(240).default(15),
});

export type BotSettings = z.infer<typeof schema>;

export function parseBotSettings(env: Record<string, string | undefined>): BotSettings {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new Error(`Bot settings are not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`);
  return parsed.data;
}
