/**
 * Reload to update (docs/DESIGN.md, 'The installable app'): shown as soon as a new build's worker is
 * waiting. A polite status that never takes the focus; the person reloads when it suits them, or
 * puts it away until the app next starts.
 */
import { useState } from 'preact/hooks';
import { applyUpdate, updateReady } from '../pwa.ts';
import { useStore } from '../store.ts';
import './UpdatePrompt.css';

export function UpdatePrompt() {
  const ready = useStore(updateReady);
  const [dismissed, setDismissed] = useState(false);
  if (!ready || dismissed) return null;
  // Appears with its text, as the app's other outcomes do (DayForm); an always-present empty status
  // would be one more live region on every screen.
  return (
    <div role="status" class="update-prompt">
      <p>A new version of Recomp is ready.</p>
      <div class="update-prompt-actions">
        <button type="button" class="button primary small" onClick={applyUpdate}>
          Reload to update
        </button>
        <button type="button" class="button small" onClick={() => setDismissed(true)}>
          Not now
        </button>
      </div>
    </div>
  );
}
