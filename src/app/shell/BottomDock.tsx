import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { whenIdle } from './when-idle.ts';

/** The longest the page's room for the dock waits for the browser to be idle after the first screen. */
const FIRST_MEASURE_WAIT_MS = 1000;

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
    let stopped = false;
    // From the first idle moment: the room only matters once the page is scrolled to its end,
    // and a custom property set on the root restyles the whole page: measured in the frame
    // after the first paint, it cost a style recalculation in front of the first tap (issue 19).
    void whenIdle(FIRST_MEASURE_WAIT_MS).then(() => {
      if (!stopped) observer.observe(element);
    });
    return () => {
      stopped = true;
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
