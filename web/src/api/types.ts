/** Shapes of the API's answers the dashboard uses (see /v1/openapi.json). */

export type Role = 'owner' | 'admin' | 'member' | 'viewer';
export type Scope = 'read' | 'write' | 'admin';
export type Interval = 'hour' | 'day' | 'week' | 'month';
export type Unit = 'currency' | 'count' | 'ratio' | 'percent' | 'days' | 'hours' | string;

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors?: { path: string; message: string }[];
  [key: string]: unknown;
}

export interface User {
  id: string;
  email: string;
  name: string;
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  user: User;
  tenant: { id: string; name: string; role: Role };
  tenants?: { tenantId: string; name: string; role: Role }[];
}

export interface Tenant {
  id: string;
  name: string;
  currency: string;
  timezone: string;
  industry: string | null;
  createdAt: string;
}

export interface Me {
  user: User | null;
  tenant: Tenant;
  role: Role;
  via: 'user' | 'api_token';
  scopes: Scope[] | null;
}

export interface MetricDefinition {
  name: string;
  title: string;
  unit: Unit;
  higherIsBetter: boolean;
  aggregation: string;
  grain: string;
  description: string;
  numerator?: string;
  denominator?: string;
  dimensions: string[];
  derived: boolean;
}

export interface SummaryItem {
  metric: MetricDefinition;
  value: number | null;
  previous: number | null;
  change: number | null;
  sparkline: (number | null)[];
}

export interface Summary {
  asOf: string | null;
  days: number;
  items: SummaryItem[];
}

export interface SeriesPoint {
  t: string;
  value: number | null;
  gap: boolean;
}

export interface Series {
  metric: MetricDefinition;
  interval: Interval;
  timezone: string;
  from: string;
  to: string;
  points: SeriesPoint[];
}

export interface ForecastPoint {
  t: string;
  value: number;
  lower80: number;
  upper80: number;
  lower95: number;
  upper95: number;
}

export interface Forecast {
  id: string;
  status: 'running' | 'succeeded' | 'failed';
  metric: string;
  interval: string;
  horizon: number;
  model: string | null;
  backtest: { mase: number; smape: number } | null;
  warnings: string[];
  error: { code: string; message: string } | null;
  jobId: string | null;
  points: ForecastPoint[];
}

export type JobStatus = 'queued' | 'running' | 'retrying' | 'succeeded' | 'failed' | 'cancelled';

export interface Job {
  id: string;
  task: string;
  status: JobStatus;
  progress: number;
  progressMessage: string | null;
  attempts: number;
  maxAttempts: number;
  result: unknown;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export type ImportKind = 'orders' | 'products' | 'expenses' | 'metrics';
export type ImportStatus =
  'receiving' | 'invalid' | 'validated' | 'committing' | 'committed' | 'failed';

export interface ImportRowError {
  row: number | null;
  line: number | null;
  column: string | null;
  value: string | null;
  reason: string;
}

export interface ImportView {
  id: string;
  kind: ImportKind;
  status: ImportStatus;
  fileName: string;
  sizeBytes: number;
  encoding: string | null;
  delimiter: string | null;
  decimalSeparator: string | null;
  dateFormat: string | null;
  mapping: Record<string, string>;
  headers: string[];
  warnings: string[];
  rowCount: number;
  recordCount: number;
  errorCount: number;
  errors: ImportRowError[];
  preview: { row: number; values: Record<string, unknown> }[];
  progress: number;
  progressMessage: string | null;
  result: {
    inserted: number;
    updated: number;
    unchanged: number;
    derivedPoints: number;
    seconds: number;
  } | null;
  jobId: string | null;
  duplicateOf: string | null;
  failure: string | null;
  errorsUrl: string;
  createdAt: string;
  committedAt: string | null;
}

export interface ImportResponse {
  import: ImportView;
  job: Job | null;
}

export interface Member {
  userId: string;
  email: string;
  name: string;
  role: Role;
  joinedAt: string;
}

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  createdAt: string;
  expiresAt: string;
  acceptedAt: string | null;
  revokedAt: string | null;
}

export interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}
