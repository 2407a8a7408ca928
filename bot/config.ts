import { z } from 'zod';

/**
 * Every setting the server reads, parsed once at start-up. A bad or missing value
 * stops the process with a list of everything wrong, not the first thing.
 */
const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const ConfigSchema = z
  .object({
    /** 0 picks a free port (tests). */
    PORT: z.coerce.number().int().min(0).max(65535).default(3978),
    /** Where the embedded store keeps its file. */
    DATA_DIR: z.string().trim().min(1).default('./.data'),
    STORE: z.enum(['sqlite', 'sharepoint']).default('sqlite'),
    /** Load the demo data from the minutes into an empty store on first start (default: yes, except in production). */
    SEED_DEMO: z.enum(['true', 'false']).optional(),
    /** 'production' refuses to start without bot credentials. */
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),

    // Bot identity (Azure Bot resource). Empty = local mode: loopback only, no auth.
    BOT_ID: optionalText,
    BOT_PASSWORD: optionalText,
    BOT_TENANT_ID: optionalText,
    BOT_TYPE: z.enum(['SingleTenant', 'UserAssignedMSI', 'MultiTenant']).default('SingleTenant'),

    // Tab SSO (the Entra app in webApplicationInfo).
    TAB_CLIENT_ID: optionalText,
    TAB_APP_ID_URI: optionalText,
    ENTRA_TENANT_ID: optionalText,

    // SharePoint through Graph (STORE=sharepoint).
    SHAREPOINT_SITE_ID: optionalText,
    /**
     * Graph root with its version, on any https host: a national cloud (https://graph.microsoft.us/v1.0,
     * https://dod-graph.microsoft.us/v1.0, https://microsoftgraph.chinacloudapi.cn/v1.0) or a proxy.
     * The token is asked for that host's scope and sent to that host only.
     */
    GRAPH_BASE_URL: z
      .string()
      .url()
      .refine((v) => v.startsWith('https://'), 'must be an https:// address (the Graph client sends its token over https only)')
      .refine((v) => !URL.canParse(v) || new URL(v).pathname.replace(/\/+$/, '') !== '', 'must include the API version, e.g. https://graph.microsoft.com/v1.0')
      .default('https://graph.microsoft.com/v1.0'),
    /** The Entra app granted Sites.Selected on the site; empty = managed identity. */
    GRAPH_TENANT_ID: optionalText,
    GRAPH_CLIENT_ID: optionalText,
    GRAPH_CLIENT_SECRET: optionalText,
    /** PEM file holding the app's certificate and private key (preferred over a secret). */
    GRAPH_CERTIFICATE_PATH: optionalText,
    /** Client id of a user-assigned managed identity; empty = system-assigned. */
    AZURE_CLIENT_ID: optionalText,

    /** Sweep on a schedule inside the server (off in tests, which call sweep directly). */
    SCHEDULER: z.enum(['on', 'off']).default('on'),
    /** How often the in-process scheduler sweeps, in working hours. */
    SWEEP_INTERVAL_MINUTES: z.coerce.number().int().min(1).max(240).default(15),
    /**
     * digest: the chair and secretariat see reports arrive in the weekly digest; immediate: each
     * new report (or version) is also sent to them on the next sweep.
     */
    REPORT_NOTICES: z.enum(['digest', 'immediate']).default('digest'),
    /**
     * A card press is answered within this many milliseconds whatever the store does (Teams shows an
     * error after about 5 s); a change not saved by then finishes in the background and the card updates.
     */
    INVOKE_DEADLINE_MS: z.coerce.number().int().min(50).max(4_500).default(4_000),
    // Retention (bot/domain/retention.ts): how long each kind of record is kept before the purge.
    /** Closed and dropped actions, years after the day they were closed or dropped. */
    RETENTION_CLOSED_ACTION_YEARS: z.coerce.number().int().min(1).max(100).default(6),
    /** Theme reports (every version), their round and substitutes' names, years after the meeting. */
    RETENTION_MEETING_PAPER_YEARS: z.coerce.number().int().min(1).max(100).default(6),
    /** Audit lines inside records, years after each was written. */
    RETENTION_AUDIT_YEARS: z.coerce.number().int().min(1).max(100).default(6),
    /** Delivery ledger lines, days after their last attempt (at least 30: the sweep re-plans a message for up to 14). */
    RETENTION_DELIVERY_DAYS: z.coerce.number().int().min(30).max(3650).default(90),
    /** Personal chats of leavers, of nobody known, or that refuse messages, days after that began. */
    RETENTION_INSTALL_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
    /** A leaver's email, Entra object id and Teams id, days after their last membership ended. */
    RETENTION_LEAVER_CONTACT_DAYS: z.coerce.number().int().min(0).max(3650).default(365),
    /** London hour (0-23) at which the server purges once a day (SCHEDULER=on). */
    PURGE_HOUR: z.coerce.number().int().min(0).max(23).default(2),
    /** The Exec team channel's conversation id (19:...@thread.tacv2) for channel cards; empty = none. */
    EXEC_CHANNEL_ID: z
      .string()
      .trim()
      .max(512)
      .optional()
      .transform((v) => (v ? v : null)),
    /**
     * Fetch Teams meeting attendance reports through Graph (needs OnlineMeetingArtifact.Read.All and
     * a Teams application access policy for the organisers); off = upload the downloaded report only.
     */
    ATTENDANCE_FROM_GRAPH: z.enum(['true', 'false']).default('false').transform((v) => v === 'true'),
  })
  .superRefine((c, ctx) => {
    if (c.BOT_ID && c.BOT_TYPE === 'SingleTenant' && !c.BOT_TENANT_ID) {
      ctx.addIssue({ code: 'custom', path: ['BOT_TENANT_ID'], message: 'is required for a single-tenant bot' });
    }
    if (c.BOT_ID && c.BOT_TYPE !== 'UserAssignedMSI' && !c.BOT_PASSWORD) {
      ctx.addIssue({ code: 'custom', path: ['BOT_PASSWORD'], message: 'is required with BOT_ID unless BOT_TYPE=UserAssignedMSI' });
    }
    if (c.NODE_ENV === 'production' && !c.BOT_ID) {
      ctx.addIssue({ code: 'custom', path: ['BOT_ID'], message: 'is required in production: the bot never runs without authentication there' });
    }
    if (c.RETENTION_INSTALL_DAYS >= c.RETENTION_DELIVERY_DAYS) {
      // A blocked chat is known by the refusal in the ledger: that line must outlive the chat's own retention.
      ctx.addIssue({ code: 'custom', path: ['RETENTION_INSTALL_DAYS'], message: `must be less than RETENTION_DELIVERY_DAYS (${c.RETENTION_DELIVERY_DAYS}), so a chat that refuses messages is still known as such when it comes up for deletion` });
    }
    if (c.STORE === 'sharepoint' && !c.SHAREPOINT_SITE_ID) {
      ctx.addIssue({ code: 'custom', path: ['SHAREPOINT_SITE_ID'], message: 'is required when STORE=sharepoint' });
    }
  });

export type Config = Omit<z.infer<typeof ConfigSchema>, 'SEED_DEMO'> & {
  readonly SEED_DEMO: boolean;
  /** True when no bot credentials are set: listen on loopback only and accept X-Dev-User. */
  readonly localMode: boolean;
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function parseConfig(env: Record<string, string | undefined>): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(config)'} ${i.message}`));
  }
  const seed = parsed.data.SEED_DEMO ?? (parsed.data.NODE_ENV === 'production' ? 'false' : 'true');
  return { ...parsed.data, SEED_DEMO: seed === 'true', localMode: !parsed.data.BOT_ID };
}
