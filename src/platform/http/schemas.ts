import { Type, type TSchema } from '@sinclair/typebox';

/** Shared schema pieces for route definitions. */
export const Uuid = Type.String({ format: 'uuid' });
export const Timestamp = Type.String({ format: 'date-time' });
export const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);
export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

export const Email = Type.String({ format: 'email', minLength: 3, maxLength: 320 });

export function Nullable<T extends TSchema>(schema: T) {
  return Type.Union([schema, Type.Null()]);
}

/** A strict object: unknown fields are rejected with 400 (the validator does not strip them). */
export function Strict<T extends Parameters<typeof Type.Object>[0]>(
  props: T,
  options: { description?: string } = {},
) {
  return Type.Object(props, { additionalProperties: false, ...options });
}

export const Paging = Strict({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  before: Type.Optional(Timestamp),
});
