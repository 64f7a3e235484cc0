import { Type } from '@sinclair/typebox';
import {
  Email,
  Nullable,
  NullableTimestamp,
  Strict,
  Timestamp,
  Uuid,
} from '../../platform/http/schemas.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../../platform/auth/passwords.js';

export const Role = Type.Union([
  Type.Literal('owner'),
  Type.Literal('admin'),
  Type.Literal('member'),
  Type.Literal('viewer'),
]);
export const Scope = Type.Union([
  Type.Literal('read'),
  Type.Literal('write'),
  Type.Literal('admin'),
]);
const Password = Type.String({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH });
const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 code, e.g. USD' });
const TimeZone = Type.String({
  minLength: 1,
  maxLength: 64,
  description: 'IANA time zone, e.g. Europe/Berlin',
});
const Name = Type.String({ minLength: 1, maxLength: 200 });

export const SignupBody = Strict({
  email: Email,
  password: Password,
  name: Type.String({ maxLength: 200 }),
  businessName: Name,
  currency: Type.Optional(Currency),
  timezone: Type.Optional(TimeZone),
  industry: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
});

export const LoginBody = Strict({
  email: Email,
  password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH }),
  tenantId: Type.Optional(Uuid),
});

export const RefreshBody = Strict({ refreshToken: Type.String({ minLength: 1, maxLength: 200 }) });
export const SwitchBody = Strict({ tenantId: Uuid });

export const UserView = Type.Object({ id: Uuid, email: Type.String(), name: Type.String() });
export const TenantRef = Type.Object({ id: Uuid, name: Type.String(), role: Role });
export const Membership = Type.Object({ tenantId: Uuid, name: Type.String(), role: Role });

export const SessionView = Type.Object({
  accessToken: Type.String(),
  refreshToken: Type.String(),
  tokenType: Type.Literal('Bearer'),
  expiresIn: Type.Integer({ description: 'seconds until the access token expires' }),
  user: UserView,
  tenant: TenantRef,
  tenants: Type.Optional(Type.Array(Membership)),
});

export const TenantView = Type.Object({
  id: Uuid,
  name: Type.String(),
  currency: Type.String(),
  timezone: Type.String(),
  industry: Nullable(Type.String()),
  createdAt: Timestamp,
});

export const TenantPatch = Type.Object(
  {
    name: Type.Optional(Name),
    currency: Type.Optional(Currency),
    timezone: Type.Optional(TimeZone),
    industry: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const MeView = Type.Object({
  user: Nullable(UserView),
  tenant: TenantView,
  role: Role,
  via: Type.Union([Type.Literal('user'), Type.Literal('api_token')]),
  scopes: Nullable(Type.Array(Scope)),
});

export const MemberView = Type.Object({
  userId: Uuid,
  email: Type.String(),
  name: Type.String(),
  role: Role,
  joinedAt: Timestamp,
});
export const MemberParams = Strict({ userId: Uuid });
export const MemberPatch = Strict({ role: Role });

export const InvitationBody = Strict({
  email: Email,
  role: Type.Union([Type.Literal('admin'), Type.Literal('member'), Type.Literal('viewer')]),
});
export const InvitationView = Type.Object({
  id: Uuid,
  email: Type.String(),
  role: Role,
  createdAt: Timestamp,
  expiresAt: Timestamp,
  acceptedAt: NullableTimestamp,
  revokedAt: NullableTimestamp,
});
export const InvitationCreated = Type.Object({
  invitation: InvitationView,
  token: Type.String({
    description: 'shown once: give it to the invitee (POST /v1/auth/accept-invitation)',
  }),
});
export const AcceptInvitationBody = Strict({
  token: Type.String({ minLength: 1, maxLength: 200 }),
  password: Password,
  name: Type.Optional(Type.String({ maxLength: 200 })),
});

export const ApiTokenBody = Strict({
  name: Type.String({ minLength: 1, maxLength: 100 }),
  scopes: Type.Array(Scope, { minItems: 1, maxItems: 3 }),
  expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
});
export const ApiTokenView = Type.Object({
  id: Uuid,
  name: Type.String(),
  prefix: Type.String(),
  scopes: Type.Array(Scope),
  createdAt: Timestamp,
  expiresAt: NullableTimestamp,
  lastUsedAt: NullableTimestamp,
  revokedAt: NullableTimestamp,
});
export const ApiTokenCreated = Type.Object({
  apiToken: ApiTokenView,
  token: Type.String({ description: 'shown once; store it now' }),
});

export const AuditView = Type.Object({
  id: Uuid,
  at: Timestamp,
  actorUserId: Nullable(Uuid),
  actorTokenId: Nullable(Uuid),
  action: Type.String(),
  target: Nullable(Type.String()),
  ip: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown()),
});
