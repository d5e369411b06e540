import { Type } from 'typebox';

/** The one error shape of every route. */
export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable, machine-readable: invalid_request, unauthorized, not_found, conflict, internal_error, …' }),
      message: Type.String({ description: 'What went wrong, for a person.' }),
    }),
  },
  { $id: 'ErrorResponse' },
);

/** Error responses shared by all routes (validation and internal errors can happen anywhere). */
export const commonErrorResponses = {
  400: ErrorResponse,
  500: ErrorResponse,
};

/** Plus 401 for routes behind the operator token. */
export const operatorErrorResponses = {
  ...commonErrorResponses,
  401: ErrorResponse,
};
