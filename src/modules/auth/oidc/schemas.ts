import { Type } from 'typebox';
import { Password, RegisterBody } from '../../users/schemas.ts';

/** The code the callback hands the web app (in the URL fragment). */
const HandoffCode = Type.String({ minLength: 1, maxLength: 128, description: 'The code from the sign-in callback' });

export const CodeBody = Type.Object({ code: HandoffCode });

export const LinkBody = Type.Object({ code: HandoffCode, password: Type.String({ minLength: 1, maxLength: 1024 }) });

const { email: _email, password: _password, ...profileFields } = RegisterBody.properties;
/** Registration's profile fields; the email comes from the provider, the name too when left out, and there is no password. */
export const SignupBody = Type.Object({ code: HandoffCode, ...profileFields, full_name: Type.Optional(profileFields.full_name) });

export const PendingSignIn = Type.Object({
  next: Type.Union([Type.Literal('sign_in'), Type.Literal('link'), Type.Literal('signup'), Type.Literal('refused')], {
    description:
      'sign_in: exchange the code; link: confirm the password of the account with this email; signup: complete the profile; refused: no account can be made',
  }),
  email: Type.Union([Type.String(), Type.Null()]),
  full_name: Type.Union([Type.String(), Type.Null()]),
  provider: Type.String({ description: 'The provider’s name (OIDC_NAME)' }),
});

export const FirstPasswordBody = Type.Object({ new_password: Password });
