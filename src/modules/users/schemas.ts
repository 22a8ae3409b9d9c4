import { Type } from 'typebox';
import { DateInput, InputEnum, OutputEnum, Uuid, VISIBLE_TEXT_FORMAT } from '../../core/schemas.ts';

export const SexInput = InputEnum(['male', 'female'] as const);
export const MethodInput = InputEnum(
  ['navy', '3_site', '7_site'] as const,
  {},
  'Body-fat method: Navy tape, Jackson–Pollock 3-site or 7-site skinfolds',
);
export const ActivityInput = InputEnum(
  ['sedentary', 'lightly_active', 'moderately_active', 'very_active', 'extremely_active'] as const,
  { extra_active: 'extremely_active' },
  '`extra_active` is accepted as an alias of `extremely_active`',
);

const profileFields = {
  full_name: Type.String({ minLength: 1, maxLength: 255, format: VISIBLE_TEXT_FORMAT, description: 'At least one visible character' }),
  date_of_birth: DateInput,
  gender: SexInput.schema,
  height_cm: Type.Number({ minimum: 120, maximum: 250 }),
  preferred_calculation_method: MethodInput.schema,
  activity_level: ActivityInput.schema,
};

export const Email = Type.String({ format: 'email', maxLength: 255 });
/** 8–128 characters (docs/DESIGN.md, 'Passwords'); `recomp users reset-password` keeps the same rule. */
export const PASSWORD_LENGTH = { min: 8, max: 128 } as const;
export const Password = Type.String({ minLength: PASSWORD_LENGTH.min, maxLength: PASSWORD_LENGTH.max });

const UNIT_SYSTEMS = ['metric', 'imperial'] as const;
/** A preference of the person's, kept with the account so every device shows the same; values stay metric on the wire. */
const Units = Type.Enum(UNIT_SYSTEMS, { description: 'How the web app shows weights and lengths; the API is metric either way' });

export const RegisterBody = Type.Object({ email: Email, password: Password, ...profileFields, units: Type.Optional(Units) });
export const UpdateProfileBody = Type.Partial(Type.Object({ ...profileFields, units: Units }));

export const User = Type.Object({
  id: Uuid,
  email: Type.String(),
  full_name: Type.String(),
  date_of_birth: Type.String({ format: 'date' }),
  gender: OutputEnum(['male', 'female'] as const),
  height_cm: Type.Number(),
  preferred_calculation_method: OutputEnum(['navy', '3_site', '7_site'] as const),
  activity_level: OutputEnum(['sedentary', 'lightly_active', 'moderately_active', 'very_active', 'extremely_active'] as const),
  units: OutputEnum(UNIT_SYSTEMS),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});
