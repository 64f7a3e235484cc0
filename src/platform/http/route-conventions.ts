import type { FastifyInstance, RouteOptions } from 'fastify';
import type { DeprecationInfo } from './fastify-types.js';
import './fastify-types.js';

const MIN_DEPRECATION_MS = 182 * 86_400_000; // the policy: ≥ 6 months between deprecation and sunset

/** Every /v1 route, as registered: the cross-tenant harness and the OpenAPI test iterate it. */
export interface RegisteredRoute {
  method: string;
  url: string;
  access: string;
  deprecated: DeprecationInfo | undefined;
}

/**
 * Enforces the API conventions at registration time, so a route that breaks them fails the
 * process at start-up rather than in production: every /v1 route declares who may call it
 * and its response schemas; every response schema also documents problem+json errors;
 * deprecated routes carry a sunset ≥ 6 months out and are marked in OpenAPI.
 */
export function installRouteConventions(app: FastifyInstance, registry: RegisteredRoute[]): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    if (!route.url.startsWith('/v1/')) return;
    const schema = (route.schema ??= {}) as Record<string, unknown>;
    if (schema.hide) return;
    const config = (route.config ?? {}) as { access?: string; deprecated?: DeprecationInfo };
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const where = `${methods.join(',')} ${route.url}`;
    if (!config.access) throw new Error(`route ${where} must declare config.access`);
    if (!schema.response) throw new Error(`route ${where} must declare response schemas`);
    const response = schema.response as Record<string, unknown>;
    response['4xx'] ??= { $ref: 'Problem#' };
    response['5xx'] ??= { $ref: 'Problem#' };
    if (config.access !== 'public') schema.security = [{ bearer: [] }];
    if (config.deprecated) {
      const { since, sunset } = config.deprecated;
      if (Date.parse(sunset) - Date.parse(since) < MIN_DEPRECATION_MS) {
        throw new Error(`route ${where}: sunset must be at least 6 months after deprecation`);
      }
      schema.deprecated = true;
    }
    for (const method of methods) {
      if (method === 'HEAD') continue;
      registry.push({
        method,
        // '::' escapes a literal ':' (e.g. /v1/metrics::batch); record the public path.
        url: route.url.replaceAll('::', ':'),
        access: config.access,
        deprecated: config.deprecated,
      });
    }
  });

  // RFC 9745 Deprecation, RFC 8594 Sunset, and a Link to the successor on every answer.
  app.addHook('onSend', async (request, reply, payload) => {
    const dep = request.routeOptions.config.deprecated;
    if (dep) {
      reply.header('Deprecation', `@${Math.floor(Date.parse(dep.since) / 1000)}`);
      reply.header('Sunset', new Date(dep.sunset).toUTCString());
      reply.header('Link', `<${dep.successor}>; rel="successor-version"`);
    }
    return payload;
  });
}
