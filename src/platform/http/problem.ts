import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { AppError, type FieldError } from '../errors/app-error.js';
import { PROBLEM_BASE, errorCodes } from '../errors/codes.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** RFC 9457 problem document, as every error response carries it. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String({ format: 'uri' }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String(),
    instance: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
  },
  { $id: 'Problem', additionalProperties: true, description: 'RFC 9457 problem details' },
);

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  requestId?: string;
  errors?: FieldError[];
  [key: string]: unknown;
}

export function problem(
  code: string,
  detail: string,
  extra: Record<string, unknown> = {},
): Problem {
  const def =
    (errorCodes as Record<string, { status: number; title: string }>)[code] ??
    errorCodes.internal_error;
  return {
    type: `${PROBLEM_BASE}${code}`,
    title: def.title,
    status: def.status,
    detail,
    code,
    ...extra,
  };
}

interface AjvLikeError {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

function fieldErrors(err: FastifyError): FieldError[] {
  const part = (err as { validationContext?: string }).validationContext ?? 'body';
  return ((err.validation ?? []) as AjvLikeError[]).map((v) => {
    let path = `/${part}${v.instancePath ?? ''}`;
    let message = v.message ?? 'is invalid';
    if (v.keyword === 'additionalProperties' && v.params?.additionalProperty) {
      path += `/${String(v.params.additionalProperty)}`;
      message = 'is not an allowed field';
    } else if (v.keyword === 'required' && v.params?.missingProperty) {
      path += `/${String(v.params.missingProperty)}`;
      message = 'is required';
    }
    return { path, message };
  });
}

/** Maps whatever was thrown to a problem document; never leaks internals of a 5xx. */
export function toProblem(err: unknown): Problem {
  if (err instanceof AppError) {
    const { errors, ...rest } = err.extra;
    return problem(err.code, err.message, { ...rest, ...(errors ? { errors } : {}) });
  }
  const e = err as FastifyError & { statusCode?: number };
  if (e?.validation) {
    const errors = fieldErrors(e);
    const first = errors[0];
    const detail = first ? `${first.path} ${first.message}` : 'the request is invalid';
    return problem(
      'validation_failed',
      errors.length > 1 ? `${detail} (and ${errors.length - 1} more)` : detail,
      { errors },
    );
  }
  switch (e?.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return problem('malformed_json', 'the request body is not valid JSON');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return problem('malformed_json', 'the request body is empty but the content type is JSON');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
      return problem('payload_too_large', 'the request body is larger than this route accepts');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return problem(
        'unsupported_media_type',
        'send application/json (or multipart/form-data where a route says so)',
      );
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return problem('bad_request', 'the Content-Length header does not match the body');
    default:
      break;
  }
  if (e instanceof SyntaxError && e.statusCode === 400) {
    return problem('malformed_json', 'the request body is not valid JSON');
  }
  if (typeof e?.statusCode === 'number' && e.statusCode === 429) {
    return problem(
      'rate_limited',
      'too many requests; retry after the time in the Retry-After header',
    );
  }
  if (typeof e?.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return problem('bad_request', 'the request cannot be processed', { status: e.statusCode });
  }
  return problem(
    'internal_error',
    'something went wrong on our side; the request id identifies it in our logs',
  );
}

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  p: Problem,
): FastifyReply {
  const body: Problem = {
    ...p,
    instance: request.url.split('?')[0] ?? request.url,
    requestId: request.id,
  };
  return reply.code(p.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

/** Installs problem+json error and not-found handlers. */
export function installProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err, request, reply) => {
    const p = toProblem(err);
    if (p.status >= 500) request.log.error({ err }, 'request failed');
    else request.log.info({ code: p.code, status: p.status }, 'request rejected');
    return sendProblem(request, reply, p);
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      request,
      reply,
      problem('route_not_found', `no route ${request.method} ${request.url.split('?')[0]}`),
    ),
  );
}
