import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

/**
 * What stays over the bottom of the page: news of the app (an update, ready offline) above
 * the sync bar. Fixed, so that nothing arriving in it pushes the page (no layout shift); the
 * page keeps room below its last button for however tall it is (--bottom-dock-height, set
 * through the CSSOM, which the CSP allows).
 */
export function BottomDock({ children }: { children: ComponentChildren }) {
  const dock = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = dock.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const root = document.documentElement;
    const observer = new ResizeObserver(() => root.style.setProperty('--bottom-dock-height', `${element.offsetHeight}px`));
    observer.observe(element);
    return () => {
      observer.disconnect();
      root.style.removeProperty('--bottom-dock-height');
    };
  }, []);

  return (
    <div ref={dock} class="bottom-dock">
      {children}
    </div>
  );
}
