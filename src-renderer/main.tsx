import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import './app/styles.css';
import { installApiScorer } from './live/api-scorer';
import { installHeadless } from './headless';

installApiScorer();
if (location.hash === '#/headless') installHeadless();

createRoot(document.getElementById('root')!).render(<App />);
