/**
 * The facts that set a person's calorie needs and which body-fat equations apply: name, date of
 * birth, sex, units, height and activity level. Create account asks them, and so does completing a
 * profile after a first sign-in through single sign-on.
 */
import { ACTIVITY_LEVELS } from '../methods.ts';
import { setUnits, type Units } from '../units.ts';
import { InputField, RadioGroup } from './forms.tsx';
import { HeightField, type HeightInput } from './heightField.tsx';

interface Props {
  values: { full_name: string; date_of_birth: string; gender: string; activity_level: string };
  set: (name: 'full_name' | 'date_of_birth' | 'gender' | 'activity_level') => (value: string) => void;
  errors: Record<string, string>;
  units: Units;
  height: HeightInput;
  setHeight: (value: HeightInput) => void;
}

export function ProfileFields({ values, set, errors, units, height, setHeight }: Props) {
  return (
    <>
      <InputField
        id="full_name"
        label="Full name"
        autoComplete="name"
        value={values.full_name}
        onValue={set('full_name')}
        error={errors.full_name}
      />
      <InputField
        id="date_of_birth"
        label="Date of birth"
        type="date"
        autoComplete="bday"
        value={values.date_of_birth}
        onValue={set('date_of_birth')}
        error={errors.date_of_birth}
      />
      <RadioGroup
        name="gender"
        legend="Sex"
        inline
        value={values.gender}
        onValue={set('gender')}
        error={errors.gender}
        options={[
          { value: 'male', label: 'Male' },
          { value: 'female', label: 'Female' },
        ]}
      />
      <RadioGroup
        name="units"
        legend="Units"
        inline
        value={units}
        onValue={(value) => setUnits(value as Units)}
        hint="How you want to see and type weights and lengths. You can change it later in Settings."
        options={[
          { value: 'metric', label: 'Metric (kg, cm)' },
          { value: 'imperial', label: 'Imperial (lb, in)' },
        ]}
      />
      <HeightField imperial={units === 'imperial'} value={height} onChange={setHeight} error={errors.height_cm} />
      <RadioGroup
        name="activity_level"
        legend="Activity level"
        value={values.activity_level}
        onValue={set('activity_level')}
        error={errors.activity_level}
        options={ACTIVITY_LEVELS.map((level) => ({ value: level.value, label: level.label, description: level.description }))}
      />
    </>
  );
}
