import { Type } from 'typebox';

/** What every sign-in answers: password sign-in, refresh and single sign-on alike. */
export const Token = Type.Object({
  access_token: Type.String(),
  refresh_token: Type.String(),
  token_type: Type.Literal('bearer'),
  expires_in: Type.Integer({ description: 'Access-token lifetime in seconds' }),
});
