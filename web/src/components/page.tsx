/** A screen: its title in the tab and in an h1 that takes focus on arrival (screen readers hear it). */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

export function Page({
  title,
  heading,
  children,
  lead,
}: {
  title: string;
  heading?: string;
  lead?: ComponentChildren;
  children: ComponentChildren;
}) {
  const h1 = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    document.title = `${title} · Recomp`;
    h1.current?.focus({ preventScroll: true });
  }, [title]);
  return (
    <section class="page" aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1} ref={h1}>
        {heading ?? title}
      </h1>
      {lead ? <p class="lead">{lead}</p> : null}
      {children}
    </section>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="loading" role="status">
      Loading {what}…
    </p>
  );
}

export function LoadError({ message, retry }: { message: string; retry?: () => void }) {
  return (
    <div class="alert alert-error" role="alert">
      {message}{' '}
      {retry ? (
        <button type="button" class="button small" onClick={retry}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
