import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { api, type ActionRow, type DemoMember, type Identity } from './api';

const DEV_USER_KEY = 'safer-exec.dev-user';

function MemberPicker({ onPick }: { onPick: (initials: string) => void }) {
  const [members, setMembers] = useState<DemoMember[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api<{ members: DemoMember[] }>({}, '/api/tab/dev/members').then((r) => setMembers(r.members), (e: Error) => setError(e.message));
  }, []);
  if (error) return <p role="alert">{error}</p>;
  if (!members) return <p>Loading members…</p>;
  return (
    <label>
      Act as{' '}
      <select aria-label="Demo member" defaultValue="" onChange={(e) => e.target.value && onPick(e.target.value)}>
        <option value="">Choose a demo member</option>
        {members.map((m) => (
          <option key={m.initials} value={m.initials}>
            {m.initials} – {m.name}
          </option>
        ))}
      </select>
    </label>
  );
}

function ActionLog({ identity }: { identity: Identity }) {
  const [rows, setRows] = useState<ActionRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setRows(null);
    api<{ items: ActionRow[] }>(identity, '/api/tab/actions?limit=500&sort=meeting').then((r) => setRows(r.items), (e: Error) => setError(e.message));
  }, [identity]);
  if (error) return <p role="alert">{error}</p>;
  if (!rows) return <p>Loading the action log…</p>;
  return (
    <table aria-label="Action log">
      <thead>
        <tr>
          <th>Meeting</th>
          <th>Minute</th>
          <th>Action</th>
          <th>Owners</th>
          <th>Due</th>
          <th>Status</th>
          <th>RAG</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((a) => (
          <tr key={a.id} data-action-id={a.id}>
            <td>{a.meetingDate}</td>
            <td>{a.minuteRef}</td>
            <td>{a.text}</td>
            <td>{a.owners.map((o) => o.label).join(', ') || 'Unassigned'}</td>
            <td>{a.dueDate ?? 'Next meeting'}</td>
            <td>{a.statusLabel}{a.overdue ? ' (overdue)' : ''}</td>
            <td>{a.rag ?? '–'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function App() {
  const [devUser, setDevUser] = useState<string | null>(() => sessionStorage.getItem(DEV_USER_KEY));
  const pick = (initials: string) => {
    sessionStorage.setItem(DEV_USER_KEY, initials);
    setDevUser(initials);
  };
  return (
    <main>
      <h1>Safer Plymouth Exec – action log</h1>
      <MemberPicker onPick={pick} />
      {devUser ? <ActionLog identity={{ devUser }} /> : <p>Choose who you are to see the action log.</p>}
    </main>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
