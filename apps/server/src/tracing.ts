import type { FastifyBaseLogger } from 'fastify';
import type { Telemetry } from '@bistro/api';
import type { Config } from './config.js';

export interface Tracing {
  trace: Telemetry['trace'];
  shutdown(): Promise<void>;
}

/**
 * OpenTelemetry tracing when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise nothing: the SDK is
 * not even loaded, and procedures run without a span (see the bench's tracing-off line).
 */
export async function startTracing(config: Config, log: FastifyBaseLogger): Promise<Tracing | undefined> {
  if (!config.otel) return undefined;
  log.warn('OTEL_EXPORTER_OTLP_ENDPOINT is set but this build has no tracing yet');
  return undefined;
}
