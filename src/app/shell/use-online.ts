import { useEffect, useState } from 'preact/hooks';

/**
 * The browser's own idea of being online: enough to say "offline" for sure, never enough to
 * say the server is reachable (only a real request to it tells that).
 */
export function useOnline(): boolean {
  const [online, setOnline] = useState(navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return online;
}
