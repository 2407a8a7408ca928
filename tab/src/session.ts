import type { Directory, Identity, Me, Meeting } from './api';

/** What every view needs: who is asking, what they may do, and the reference data. */
export interface Session {
  readonly identity: Identity;
  readonly me: Me;
  readonly directory: Directory;
  readonly meetings: readonly Meeting[];
  /** Reads the people, themes and meetings again after a change, keeping the view where it is. */
  readonly refresh: () => Promise<void>;
}

/** The chair and secretariat keep the log, the meetings and the records: the tab shows them the controls. */
export function managesLog(me: Me): boolean {
  return me.roles.chair || me.roles.secretariat;
}
