import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { whenIdle } from './when-idle.ts';

export interface TabLink {
  hash: string;
  label: string;
  /** Shown after the label (a count of refused readings). */
  extra?: ComponentChildren;
}

/** Pixels of slack before an edge counts as hiding a tab (sub-pixel scroll positions). */
const EDGE_SLACK_PX = 2;

/** The longest the chevrons wait for the browser to be idle after the row is drawn. */
const FIRST_MEASURE_WAIT_MS = 1000;

/**
 * The role's screens on one row. On a phone too narrow for all of them the row scrolls
 * sideways (snapping to a tab), a fade and a chevron show on the side that hides more, and
 * the current tab is scrolled into view.
 */
export function TabBar({ tabs, current }: { tabs: readonly TabLink[]; current: string }) {
  const nav = useRef<HTMLElement>(null);
  const [hidden, setHidden] = useState({ start: false, end: false });

  useEffect(() => {
    const element = nav.current;
    if (!element) return;
    const measure = () => {
      const start = element.scrollLeft > EDGE_SLACK_PX;
      const end = element.scrollLeft + element.clientWidth < element.scrollWidth - EDGE_SLACK_PX;
      setHidden((was) => (was.start === start && was.end === end ? was : { start, end }));
    };
    let observer: ResizeObserver | undefined;
    let stopped = false;
    // From the first idle moment: the chevrons lie over the row (nothing moves when they come),
    // and measuring at start cost a layout and a re-render in front of the first tap (issue 19).
    // The observer calls `measure` once the page is laid out, its first time included.
    void whenIdle(FIRST_MEASURE_WAIT_MS).then(() => {
      if (stopped) return;
      element.addEventListener('scroll', measure, { passive: true });
      observer = typeof ResizeObserver === 'undefined' ? undefined : new ResizeObserver(measure);
      if (observer) observer.observe(element);
      else measure();
    });
    return () => {
      stopped = true;
      element.removeEventListener('scroll', measure);
      observer?.disconnect();
    };
  }, [tabs.length]);

  useEffect(() => {
    const element = nav.current;
    const active = element?.querySelector<HTMLElement>('[aria-current="page"]');
    if (!element || !active) return;
    // Before the next frame, with the layout that frame makes anyway rather than one of its own.
    const frame = requestAnimationFrame(() => {
      // Scrolls the row only, never the page (the row is the tab's offsetParent: see styles.css).
      const left = active.offsetLeft;
      if (left < element.scrollLeft) element.scrollLeft = left;
      else if (left + active.offsetWidth > element.scrollLeft + element.clientWidth) element.scrollLeft = left + active.offsetWidth - element.clientWidth;
    });
    return () => cancelAnimationFrame(frame);
  }, [current, tabs.length]);

  return (
    <div class="tabs">
      <nav ref={nav} aria-label="Écrans">
        {tabs.map(({ hash, label, extra }) => (
          <a key={hash} href={hash} aria-current={current === hash ? 'page' : undefined}>
            {label}
            {extra}
          </a>
        ))}
      </nav>
      {hidden.start && (
        <span class="tabs-more start" aria-hidden="true">
          ‹
        </span>
      )}
      {hidden.end && (
        <span class="tabs-more end" aria-hidden="true" data-testid="tabs-more">
          ›
        </span>
      )}
    </div>
  );
}
