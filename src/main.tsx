import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import './ui/styles/theme.css';
import './ui/styles/shell.css';
import './ui/styles/chart.css';
import './ui/styles/store.css';
import './ui/styles/world.css';
import './ui/styles/present.css';

const root = document.getElementById('root');
if (!root) throw new Error('XenScope: #root element missing from index.html');

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
