/** Mounts the app (loaded by the entry chunk, main.tsx, once the first data requests are under way). */
import { createRoot } from 'react-dom/client';
import { App } from './App';
import './styles.css';
import { installApiScorer } from '../live/api-scorer';

installApiScorer();

createRoot(document.getElementById('root')!).render(<App />);
