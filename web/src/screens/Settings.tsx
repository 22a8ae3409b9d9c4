import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client.ts';
import type { Goal, User } from '../api/types.ts';
import { abandonGoal, activeGoal, changeEmail, changePassword, deleteAccount, exportData, updateProfile } from '../api/queries.ts';
import { FormAlert, InputField, RadioGroup, SubmitButton, useFocusFirstError } from '../components/forms.tsx';
import { useConfirmation } from '../components/confirmation.ts';
import { HeightField, heightCm, heightInputOf, useHeightInput } from '../components/heightField.tsx';
import { ImportCard } from '../components/ImportCard.tsx';
import { LoadError, Page } from '../components/page.tsx';
import { type FormErrors, noErrors, toFormErrors } from '../errors.ts';
import { formatDate, formatPercent } from '../format.ts';
import { useLoad } from '../load.ts';
import { ACTIVITY_LEVELS, METHOD_LABEL, METHODS } from '../methods.ts';
import { Link, navigate } from '../router.tsx';
import { queueStore } from '../offline/queue.ts';
import { accountDeleted, endSession, updateUser } from '../session.ts';
import { useStore } from '../store.ts';
import { type Units, useUnits } from '../units.ts';

const FIELDS = ['full_name', 'date_of_birth', 'gender', 'height_cm', 'activity_level', 'preferred_calculation_method'];

export function Settings({ user }: { user: User }) {
  const [busy, setBusy] = useState(false);
  const waiting = useStore(queueStore).entries.length;
  // Signing out deletes the entries still on the device: asked first when there are any.
  const [warned, setWarned] = useState(false);
  const signOut = async () => {
    if (waiting > 0 && !warned) return setWarned(true);
    setBusy(true);
    await endSession();
    navigate('/', { replace: true });
  };
  return (
    <Page title="Settings">
      <UnitsCard />
      <ProfileForm user={user} />
      <PasswordForm />
      <EmailForm />
      <GoalSection />
      <section class="card" aria-labelledby="account-heading">
        <h2 id="account-heading">Account</h2>
        <p>
          Signed in as <strong>{user.email}</strong>.
        </p>
        {waiting > 0 && warned ? (
          <div class="alert alert-warning" role="alert" data-testid="sign-out-waiting">
            {waiting === 1 ? 'One entry is' : `${waiting} entries are`} still waiting to sync. Signing out deletes{' '}
            {waiting === 1 ? 'it' : 'them'} from this device. Sign out when you are back online to keep {waiting === 1 ? 'it' : 'them'}.
          </div>
        ) : null}
        <button type="button" class="button" onClick={signOut} disabled={busy}>
          {waiting > 0 && warned ? 'Sign out and delete them' : 'Sign out'}
        </button>
      </section>
      <YourData />
      <ImportCard />
      <DeleteAccount />
    </Page>
  );
}

/** The units are the account's: choosing them saves them, so the person's other devices show the same. */
function UnitsCard() {
  const units = useUnits();
  // The choice shows at once; a refused save puts the account's units back and says why.
  const [choice, setChoice] = useState<Units | null>(null);
  const [error, setError] = useState<string | null>(null);
  const choose = async (value: Units) => {
    setChoice(value);
    try {
      updateUser(await updateProfile({ units: value }));
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Your units could not be saved. Please try again.');
    } finally {
      setChoice(null);
    }
  };
  return (
    <section class="card units-card" aria-label="Units">
      <FormAlert text={error} />
      <RadioGroup
        name="units"
        legend="Units"
        inline
        value={choice ?? units}
        onValue={(value) => void choose(value as Units)}
        hint="Saved with your account for all your devices. Recomp stores metric values; this only changes how you see and type them. Skinfolds are always in mm."
        options={[
          { value: 'metric', label: 'Metric' },
          { value: 'imperial', label: 'Imperial' },
        ]}
      />
    </section>
  );
}

/**
 * A form's submission: busy while `action` runs, and its failure sorted into messages for the
 * fields the form shows (`known`) and one at the top. Resolves whether the action succeeded.
 */
function useSubmit(known: readonly string[]) {
  const units = useUnits();
  const [errors, setErrors] = useState<FormErrors>(noErrors);
  const [busy, setBusy] = useState(false);
  const formRef = useFocusFirstError(errors);
  const run = async (action: () => Promise<void>): Promise<boolean> => {
    setBusy(true);
    try {
      await action();
      setErrors(noErrors);
      return true;
    } catch (error) {
      setErrors(toFormErrors(error, known, units));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { errors, setErrors, busy, formRef, run };
}

/** Saves a file the API sent, under the name it suggested. */
function save(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function YourData() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const download = async (format: 'json' | 'csv') => {
    setBusy(true);
    try {
      const { blob, filename } = await exportData(format);
      save(blob, filename ?? `recomp-export.${format}`);
      setError(null);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Something went wrong. Please try again.');
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="card" aria-labelledby="data-heading">
      <h2 id="data-heading">Your data</h2>
      {error ? (
        <div class="alert alert-error" role="alert">
          {error}
        </div>
      ) : null}
      <p>Everything Recomp stores about you: your profile, measurements, goals, progress, weigh-ins and food log.</p>
      <div class="actions">
        <button type="button" class="button" onClick={() => download('json')} disabled={busy}>
          Download all data (JSON)
        </button>
        <button type="button" class="button" onClick={() => download('csv')} disabled={busy}>
          Download measurements (CSV)
        </button>
      </div>
    </section>
  );
}

function DeleteAccount() {
  const confirmation = useConfirmation<HTMLInputElement>();
  const [password, setPassword] = useState('');
  const { errors, setErrors, busy, formRef, run } = useSubmit(['password']);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (await run(() => deleteAccount(password))) {
      await accountDeleted();
      navigate('/?account=deleted', { replace: true });
    }
  };

  return (
    <section class="card" aria-labelledby="delete-heading">
      <h2 id="delete-heading">Delete account</h2>
      <p>Deletes your account and everything in it, for good. Download your data first if you want to keep it.</p>
      {confirmation.open ? (
        <form class="form" onSubmit={submit} noValidate ref={formRef}>
          <FormAlert text={errors.top} />
          <InputField
            id="password"
            label="Password"
            type="password"
            autoComplete="current-password"
            hint="Enter your password to confirm."
            value={password}
            onValue={setPassword}
            error={errors.fields.password}
            inputRef={confirmation.first}
          />
          <div class="actions">
            <button type="submit" class="button danger" disabled={busy}>
              Delete my account
            </button>
            <button
              type="button"
              class="button"
              onClick={() => {
                confirmation.cancel();
                setPassword('');
                setErrors(noErrors);
              }}
            >
              Keep my account
            </button>
          </div>
        </form>
      ) : (
        <button type="button" class="button danger" onClick={confirmation.show} ref={confirmation.trigger}>
          Delete account
        </button>
      )}
    </section>
  );
}

function ProfileForm({ user }: { user: User }) {
  const units = useUnits();
  const [form, setForm] = useState({
    full_name: user.full_name,
    date_of_birth: user.date_of_birth,
    gender: user.gender as string,
    activity_level: user.activity_level as string,
    preferred_calculation_method: user.preferred_calculation_method as string,
  });
  const [height, setHeight] = useHeightInput(() => heightInputOf(user.height_cm), units === 'imperial');
  const { errors, setErrors, busy, formRef, run } = useSubmit(FIELDS);
  const [saved, setSaved] = useState(false);
  const set = (name: keyof typeof form) => (value: string) => {
    setForm({ ...form, [name]: value });
    setSaved(false);
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    const cm = heightCm(units === 'imperial', height);
    if (typeof cm === 'string') return setErrors({ top: null, fields: { height_cm: cm } });
    setSaved(false);
    // An unchanged height is not sent: the stored cm stays exactly as it was, whatever the units.
    const changes = { ...form, full_name: form.full_name.trim(), ...(cm === user.height_cm ? {} : { height_cm: cm }) } as Partial<User>;
    setSaved(await run(async () => updateUser(await updateProfile(changes))));
  };

  return (
    <section class="card" aria-labelledby="profile-heading">
      <h2 id="profile-heading">Profile</h2>
      <form class="form" onSubmit={submit} noValidate ref={formRef}>
        <FormAlert text={errors.top} />
        {saved ? (
          <div class="alert alert-success" role="status">
            Profile saved.
          </div>
        ) : null}
        <InputField
          id="full_name"
          label="Full name"
          autoComplete="name"
          value={form.full_name}
          onValue={set('full_name')}
          error={errors.fields.full_name}
        />
        <InputField
          id="date_of_birth"
          label="Date of birth"
          type="date"
          value={form.date_of_birth}
          onValue={set('date_of_birth')}
          error={errors.fields.date_of_birth}
        />
        <RadioGroup
          name="gender"
          legend="Sex"
          inline
          value={form.gender}
          onValue={set('gender')}
          error={errors.fields.gender}
          options={[
            { value: 'male', label: 'Male' },
            { value: 'female', label: 'Female' },
          ]}
        />
        <HeightField
          imperial={units === 'imperial'}
          value={height}
          onChange={(h) => {
            setHeight(h);
            setSaved(false);
          }}
          error={errors.fields.height_cm}
        />
        <RadioGroup
          name="activity_level"
          legend="Activity level"
          value={form.activity_level}
          onValue={set('activity_level')}
          error={errors.fields.activity_level}
          options={ACTIVITY_LEVELS.map((level) => ({ value: level.value, label: level.label, description: level.description }))}
        />
        <RadioGroup
          name="preferred_calculation_method"
          legend="Preferred method"
          value={form.preferred_calculation_method}
          onValue={set('preferred_calculation_method')}
          error={errors.fields.preferred_calculation_method}
          options={METHODS.map((method) => ({ value: method, label: METHOD_LABEL[method] }))}
        />
        <SubmitButton busy={busy}>Save profile</SubmitButton>
      </form>
    </section>
  );
}

function PasswordForm() {
  const [form, setForm] = useState({ current_password: '', new_password: '' });
  const { errors, busy, formRef, run } = useSubmit(['current_password', 'new_password']);
  const [changed, setChanged] = useState(false);
  const set = (name: keyof typeof form) => (value: string) => {
    setForm({ ...form, [name]: value });
    setChanged(false);
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setChanged(false);
    if (await run(() => changePassword(form.current_password, form.new_password))) {
      setForm({ current_password: '', new_password: '' });
      setChanged(true);
    }
  };

  return (
    <section class="card" aria-labelledby="password-heading">
      <h2 id="password-heading">Password</h2>
      <form class="form" onSubmit={submit} noValidate ref={formRef}>
        <FormAlert text={errors.top} />
        {changed ? (
          <div class="alert alert-success" role="status">
            Password changed. You stay signed in here; your other devices were signed out.
          </div>
        ) : null}
        <InputField
          id="current_password"
          label="Current password"
          type="password"
          autoComplete="current-password"
          value={form.current_password}
          onValue={set('current_password')}
          error={errors.fields.current_password}
        />
        <InputField
          id="new_password"
          label="New password"
          type="password"
          autoComplete="new-password"
          hint="At least 8 characters."
          value={form.new_password}
          onValue={set('new_password')}
          error={errors.fields.new_password}
        />
        <SubmitButton busy={busy}>Change password</SubmitButton>
      </form>
    </section>
  );
}

function EmailForm() {
  const [form, setForm] = useState({ new_email: '', password: '' });
  const { errors, busy, formRef, run } = useSubmit(['new_email', 'password']);
  const [changedTo, setChangedTo] = useState<string | null>(null);
  const set = (name: keyof typeof form) => (value: string) => {
    setForm({ ...form, [name]: value });
    setChangedTo(null);
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setChangedTo(null);
    await run(async () => {
      const updated = await changeEmail(form.password, form.new_email.trim());
      updateUser(updated);
      setForm({ new_email: '', password: '' });
      setChangedTo(updated.email);
    });
  };

  return (
    <section class="card" aria-labelledby="email-heading">
      <h2 id="email-heading">Email</h2>
      <form class="form" onSubmit={submit} noValidate ref={formRef}>
        <FormAlert text={errors.top} />
        {changedTo ? (
          <div class="alert alert-success" role="status">
            Email changed. Sign in with {changedTo} from now on.
          </div>
        ) : null}
        <InputField
          id="new_email"
          label="New email"
          type="email"
          autoComplete="email"
          spellcheck={false}
          value={form.new_email}
          onValue={set('new_email')}
          error={errors.fields.new_email}
        />
        <InputField
          id="email_password"
          label="Password"
          type="password"
          autoComplete="current-password"
          hint="Enter your password to confirm."
          value={form.password}
          onValue={set('password')}
          error={errors.fields.password}
        />
        <SubmitButton busy={busy}>Change email</SubmitButton>
      </form>
    </section>
  );
}

function GoalSection() {
  const goal = useLoad(activeGoal, []);
  const confirmation = useConfirmation<HTMLButtonElement>();
  const [error, setError] = useState<string | null>(null);
  const [abandoned, setAbandoned] = useState<Goal | null>(null);
  const [busy, setBusy] = useState(false);
  // The focused "Yes, abandon goal" is gone once it worked: focus goes to the message saying so.
  const done = useRef<HTMLDivElement>(null);
  const current = goal.data;
  const showDone = abandoned !== null && !current;
  useEffect(() => {
    if (showDone) done.current?.focus();
  }, [showDone]);

  const abandon = async (target: Goal) => {
    setBusy(true);
    try {
      setAbandoned(await abandonGoal(target.id));
      confirmation.close();
      setError(null);
      goal.reload();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'Something went wrong. Please try again.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="goal-settings-heading">
      <h2 id="goal-settings-heading">Goal</h2>
      {goal.error ? <LoadError message={goal.error} retry={goal.reload} /> : null}
      {error ? (
        <div class="alert alert-error" role="alert">
          {error}
        </div>
      ) : null}
      {showDone ? (
        <div class="alert alert-success" role="status" tabIndex={-1} ref={done}>
          Your {abandoned.goal_type} goal was abandoned. You can start a new one any time.
        </div>
      ) : null}
      {current === null ? (
        <p>
          No active goal. <Link href="/goals/new">Start a goal</Link>
        </p>
      ) : null}
      {current ? (
        <>
          <p>
            Active: <strong>{current.goal_type}</strong>, started {formatDate(current.started_at)} at{' '}
            {formatPercent(current.initial_body_fat_percentage)}, {current.goal_type === 'cutting' ? 'target' : 'ceiling'}{' '}
            {formatPercent(current.target_body_fat_percentage ?? current.ceiling_body_fat_percentage ?? 0)}.
          </p>
          {confirmation.open ? (
            <div class="confirm" role="group" aria-labelledby="confirm-abandon">
              <p id="confirm-abandon">Abandon your {current.goal_type} goal? Its history stays, but it stops for good.</p>
              <div class="actions">
                <button type="button" class="button danger" onClick={() => abandon(current)} disabled={busy} ref={confirmation.first}>
                  Yes, abandon goal
                </button>
                <button type="button" class="button" onClick={confirmation.cancel}>
                  Keep goal
                </button>
              </div>
            </div>
          ) : (
            <button type="button" class="button danger" onClick={confirmation.show} ref={confirmation.trigger}>
              Abandon goal
            </button>
          )}
        </>
      ) : null}
    </section>
  );
}
