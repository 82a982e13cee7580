import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import './app/styles.css';
import { installApiScorer } from './live/api-scorer';

installApiScorer();
if (location.hash === '#/headless') void import('./headless').then((m) => m.installHeadless());

createRoot(document.getElementById('root')!).render(<App />);
