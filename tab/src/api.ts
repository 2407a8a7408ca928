/** The tab's only way to the server: every call names the acting member (local) or carries the SSO token (Teams). */
export interface Identity {
  readonly devUser?: string;
  readonly token?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function api<T>(identity: Identity, path: string, init: RequestInit = {}): Promise<T> {
  const headers = new Headers(init.headers);
  if (identity.devUser) headers.set('X-Dev-User', identity.devUser);
  if (identity.token) headers.set('Authorization', `Bearer ${identity.token}`);
  if (init.body) headers.set('Content-Type', 'application/json');
  const response = await fetch(path, { ...init, headers });
  const body = (await response.json().catch(() => ({}))) as { error?: { code: string; message: string } };
  if (!response.ok) throw new ApiError(response.status, body.error?.code ?? 'UNKNOWN', body.error?.message ?? `Request failed (${response.status}).`);
  return body as T;
}

export interface DemoMember {
  readonly initials: string;
  readonly name: string;
  readonly jobTitle: string;
}

export interface ActionRow {
  readonly id: string;
  readonly minuteRef: string;
  readonly meetingDate: string | null;
  readonly text: string;
  readonly owners: readonly { label: string; name: string }[];
  readonly dueDate: string | null;
  readonly statusLabel: string;
  readonly rag: 'red' | 'amber' | 'green' | null;
  readonly overdue: boolean;
  readonly rolloverCount: number;
  readonly lastUpdate: { at: string; note: string | null; byLabel: string | null } | null;
}
