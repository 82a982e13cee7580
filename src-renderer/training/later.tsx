/** Mount `children` `delay` ms after this mounts, in a transition: big panels then mount one per task. */
import { startTransition, useEffect, useState, type ReactNode } from 'react';

export function Later({ delay, children }: { delay: number; children: ReactNode }) {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    const t = setTimeout(() => startTransition(() => setShown(true)), delay);
    return () => clearTimeout(t);
  }, [delay]);
  return shown ? children : null;
}
