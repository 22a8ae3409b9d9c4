import type { ComponentChildren } from 'preact';

/**
 * A table's box that scrolls sideways when the table is wider than the screen. It takes keyboard
 * focus (so the arrow keys scroll it) and is a named region, so that what has focus is announced.
 */
export function TableRegion({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div class="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
