/**
 * Settings' Import card: a history of weigh-ins and food from another app's export. The file is read
 * first without storing anything (a dry run) and its report shown; Import sends it again to store
 * it. The steps are importFlow.ts's; the words for the report are imports.ts's.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ImportJob, ImportReport, OnConflict } from '../api/types.ts';
import { plural } from '../format.ts';
import { apiImports, ImportFlow, type ImportState } from '../importFlow.ts';
import {
  countsText,
  daysOf,
  daysText,
  FORMAT_NAME,
  handEnteredDays,
  IMPORTED_APPS,
  reasonText,
  rejectedTotal,
  sizeText,
  weightUnitText,
} from '../imports.ts';
import { Link } from '../router.tsx';
import { RadioGroup } from './forms.tsx';

/** Refused rows listed before "Show all". */
const FIRST_REJECTIONS = 3;
/** Where Settings shows the card: the Daily log links here. */
export const IMPORT_HREF = '/settings#import';

/** The flow of this card, stopped (uploads, polls) when the card goes. */
function useImportFlow(): [ImportState, ImportFlow] {
  const [state, setState] = useState<ImportState>({ step: 'choose' });
  const [flow] = useState(() => new ImportFlow(apiImports, setState));
  useEffect(() => {
    void flow.resume();
    return () => flow.dispose();
  }, [flow]);
  return [state, flow];
}

/** What the live region says of each step; a failure is an alert of its own. */
function announcement(state: ImportState): string {
  switch (state.step) {
    case 'uploading':
      return `Sending ${state.file.name}.`;
    case 'reading':
      return state.query.dry_run ? 'Reading the file.' : 'Importing.';
    case 'review':
      return `${FORMAT_NAME[state.job.format]} export read: ${daysText(state.job.report)}. Nothing is stored until you choose Import.`;
    case 'done':
      return `Imported: ${daysText(state.job.report)}.`;
    default:
      return '';
  }
}

export function ImportCard() {
  const [state, flow] = useImportFlow();
  const card = useRef<HTMLElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const step = useRef<HTMLDivElement>(null);
  const arrived = useRef(true);
  // Arriving from the Daily log's link: the card, not the page's heading (which Page focuses first).
  useEffect(() => {
    if (window.location.hash !== '#import') return;
    const timer = setTimeout(() => {
      heading.current?.scrollIntoView({ block: 'start' });
      heading.current?.focus({ preventScroll: true });
    }, 0);
    return () => clearTimeout(timer);
  }, []);
  // The control that was used is gone with its step: focus goes to the new step, read from its start.
  // Focus elsewhere on the page (a resumed import moving on) stays where it is.
  useEffect(() => {
    if (arrived.current) {
      arrived.current = false;
      return;
    }
    const active = document.activeElement;
    if (active === null || active === document.body || card.current?.contains(active)) step.current?.focus();
  }, [state.step]);

  return (
    <section class="card import-card" id="import" aria-labelledby="import-heading" ref={card}>
      <h2 id="import-heading" tabIndex={-1} ref={heading}>
        Import your history
      </h2>
      <p class="visually-hidden" role="status" data-testid="import-status">
        {announcement(state)}
      </p>
      <div class="import-step" tabIndex={-1} ref={step} data-step={state.step}>
        <Step state={state} flow={flow} />
      </div>
    </section>
  );
}

function Step({ state, flow }: { state: ImportState; flow: ImportFlow }) {
  switch (state.step) {
    case 'choose':
      return (
        <>
          <p>
            Bring your weigh-ins and food log from {IMPORTED_APPS}, or a CSV of dates and weights. You see what the file holds before
            anything is stored.
          </p>
          <DropZone label="Choose a file" onFile={(file) => void flow.choose(file)} />
        </>
      );
    case 'uploading':
      return (
        <>
          <FileLine file={state.file} />
          <ProgressBar label="Sending the file" fraction={state.fraction} />
          <div class="actions">
            <button type="button" class="button" onClick={() => flow.cancel()}>
              Cancel
            </button>
          </div>
        </>
      );
    case 'reading':
      return (
        <>
          {state.file ? <FileLine file={state.file} /> : null}
          <ProgressBar label={state.query.dry_run ? 'Reading the file' : 'Importing'} fraction={state.job.progress} />
          {state.query.dry_run ? (
            <div class="actions">
              <button type="button" class="button" onClick={() => flow.cancel()}>
                Cancel
              </button>
            </div>
          ) : (
            <p class="hint">You can leave this page: the import goes on, and this card shows it when you come back.</p>
          )}
        </>
      );
    case 'review':
      return <Review file={state.file} job={state.job} onImport={(choice) => void flow.confirm(choice)} onCancel={() => flow.cancel()} />;
    case 'done':
      return (
        <>
          <div class="alert alert-success">
            Imported from {FORMAT_NAME[state.job.format]}: {daysText(state.job.report)}.
          </div>
          <Counts report={state.job.report} />
          <Rejections report={state.job.report} />
          <div class="actions">
            <Link class="button primary" href="/daily">
              Open the Daily log
            </Link>
            <button type="button" class="button" onClick={() => flow.cancel()}>
              Import another file
            </button>
          </div>
        </>
      );
    case 'failed':
      return (
        <>
          {state.file ? <FileLine file={state.file} /> : null}
          <div class="alert alert-error" role="alert" data-testid="import-error">
            {state.message}
          </div>
          {state.job?.status === 'failed' && !state.job.dry_run && state.job.report.days_done > 0 ? (
            <>
              <p>Stored before it stopped:</p>
              <Counts report={state.job.report} />
            </>
          ) : null}
          {state.retry ? (
            <div class="actions">
              <button type="button" class="button primary" onClick={() => void flow.retry()}>
                Try again
              </button>
            </div>
          ) : null}
          <DropZone label="Choose another file" onFile={(file) => void flow.choose(file)} />
        </>
      );
  }
}

/** The file input, and the card's area to drop a file on. The input works alone: the drop is an extra. */
function DropZone({ label, onFile }: { label: string; onFile: (file: File) => void }) {
  const [over, setOver] = useState(false);
  const dragging = (event: DragEvent) => {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    setOver(true);
  };
  return (
    <div
      class={`drop-zone${over ? ' over' : ''}`}
      data-testid="import-drop"
      onDragEnter={dragging}
      onDragOver={dragging}
      onDragLeave={() => setOver(false)}
      onDrop={(event) => {
        event.preventDefault();
        setOver(false);
        const file = event.dataTransfer?.files[0];
        if (file) onFile(file);
      }}
    >
      <input
        type="file"
        id="import-file"
        class="visually-hidden"
        aria-describedby="import-file-hint"
        onChange={(event) => {
          const file = event.currentTarget.files?.[0];
          // Cleared, so that choosing the same file again (after Cancel) is a change too.
          event.currentTarget.value = '';
          if (file) onFile(file);
        }}
      />
      <label for="import-file" class="button primary">
        {label}
      </label>
      <p class="hint" id="import-file-hint">
        Or drop the export file here: the ZIP or CSV the app sent you, or Apple Health’s export.zip.
      </p>
    </div>
  );
}

function FileLine({ file }: { file: File }) {
  return (
    <p class="file-line">
      <strong>{file.name}</strong> <span class="muted">({sizeText(file.size)})</span>
    </p>
  );
}

function ProgressBar({ label, fraction }: { label: string; fraction: number }) {
  const percent = Math.round(Math.min(1, Math.max(0, fraction)) * 100);
  return (
    <div class="progress-row">
      <span id="import-progress-label">
        {label}: {percent} %
      </span>
      <div
        class="import-bar"
        role="progressbar"
        aria-labelledby="import-progress-label"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
      >
        <div class="import-bar-fill" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}

function Review({
  file,
  job,
  onImport,
  onCancel,
}: {
  file: File;
  job: ImportJob;
  onImport: (choice: OnConflict) => void;
  onCancel: () => void;
}) {
  const [choice, setChoice] = useState<OnConflict>('keep');
  const { report } = job;
  const mine = handEnteredDays(report);
  const nothing = report.days_total === 0;
  return (
    <>
      <FileLine file={file} />
      <h3>What the file holds</h3>
      <dl class="import-facts" data-testid="import-report">
        <div>
          <dt>Format</dt>
          <dd>{FORMAT_NAME[job.format]}</dd>
        </div>
        <div>
          <dt>Dates</dt>
          <dd>{daysText(report)}</dd>
        </div>
      </dl>
      <Counts report={report} onConflict={choice} />
      {mine > 0 ? (
        <RadioGroup
          name="on_conflict"
          legend="Days you entered yourself"
          value={choice}
          onValue={(value) => setChoice(value as OnConflict)}
          hint={`On ${plural(mine, 'day')}, what you logged differs from the file.`}
          options={[
            { value: 'keep', label: 'Keep mine', description: 'The file’s values for these days are left out.' },
            { value: 'replace', label: 'Use the file’s', description: 'What you entered on these days is replaced.' },
          ]}
        />
      ) : null}
      <Rejections report={report} />
      {nothing ? (
        <p>There is nothing in this file that Recomp can import.</p>
      ) : (
        <p class="hint">Nothing is stored until you choose Import.</p>
      )}
      <div class="actions">
        {nothing ? null : (
          <button type="button" class="button primary" onClick={() => onImport(choice)}>
            Import
          </button>
        )}
        <button type="button" class="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </>
  );
}

/** Each kind of day and what happens to it; a kind the file does not have is left out. */
function Counts({ report, onConflict }: { report: ImportReport; onConflict?: OnConflict }) {
  const kinds = [
    ['Weigh-ins', report.weights],
    ['Food', report.intake],
  ] as const;
  const shown = kinds.filter(([, counts]) => daysOf(counts) + counts.rejected > 0);
  const unit = weightUnitText(report);
  if (shown.length === 0) return null;
  return (
    <>
      <dl class="import-facts" data-testid="import-counts">
        {shown.map(([kind, counts]) => (
          <div key={kind}>
            <dt>{kind}</dt>
            <dd>
              {plural(daysOf(counts), 'day')}: {countsText(counts, onConflict)}
            </dd>
          </div>
        ))}
      </dl>
      {unit ? <p class="hint">{unit}</p> : null}
    </>
  );
}

function Rejections({ report }: { report: ImportReport }) {
  const [all, setAll] = useState(false);
  const total = rejectedTotal(report);
  if (total === 0) return null;
  const listed = report.rejected_rows;
  const shown = all ? listed : listed.slice(0, FIRST_REJECTIONS);
  return (
    <div class="rejections" data-testid="import-rejections">
      <h3>Not imported: {total}</h3>
      <p class="hint">Rows the file gives that could not be read, and days Recomp cannot take.</p>
      <ul class="compact">
        {shown.map((row, index) => (
          <li key={index}>
            <strong>{row.where}</strong>: {reasonText(row.reason)}
          </li>
        ))}
      </ul>
      {listed.length > shown.length ? (
        <button type="button" class="button small" onClick={() => setAll(true)}>
          Show all {listed.length} listed
        </button>
      ) : null}
      {all && total > listed.length ? (
        <p class="hint">
          The first {listed.length} of {total} are listed.
        </p>
      ) : null}
    </div>
  );
}
