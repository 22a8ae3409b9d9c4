import { Type } from 'typebox';

export const ExportQuery = Type.Object({
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' })),
});

export const ExportDocument = Type.Unknown({ description: 'The export document (JSON) or text/csv' });

export const DeleteAccountBody = Type.Object({ password: Type.String({ minLength: 1, maxLength: 1024 }) });
