import { useEffect, useRef, useState } from 'preact/hooks';

/**
 * A confirmation that takes the place of the button that opened it: focus moves to its first control
 * on opening and back to that button on cancelling, so keyboard and screen-reader users are not
 * dropped at the start of the page when the focused element disappears.
 */
export function useConfirmation<First extends HTMLElement>() {
  const [open, setOpen] = useState(false);
  const trigger = useRef<HTMLButtonElement>(null);
  const first = useRef<First>(null);
  const cancelled = useRef(false);
  useEffect(() => {
    if (open) first.current?.focus();
    else if (cancelled.current) trigger.current?.focus();
    cancelled.current = false;
  }, [open]);
  return {
    open,
    trigger,
    first,
    show: () => setOpen(true),
    cancel: () => {
      cancelled.current = true;
      setOpen(false);
    },
    close: () => setOpen(false),
  };
}
