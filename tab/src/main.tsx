import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { connectToHost } from './teams';

const root = createRoot(document.getElementById('root')!);
void connectToHost().then((host) =>
  root.render(
    <StrictMode>
      <App host={host} />
    </StrictMode>,
  ),
);
