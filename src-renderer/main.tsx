import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import './app/styles.css';
import { installApiScorer } from './live/api-scorer';

installApiScorer();

createRoot(document.getElementById('root')!).render(<App />);
