import type { FastifyBaseLogger } from 'fastify';
import type { KyselyPlugin } from 'kysely';
import type { Span } from '@opentelemetry/api';
import type { Telemetry } from '@bistro/api';
import type { Config } from './config.js';

export interface Tracing {
  trace: Telemetry['trace'];
  /** Starts a request's span (the parent of its procedures' spans); returns its trace id and the function that ends it. */
  startRequest(requestId: string, method: string): { traceId: string; end(route: string | undefined, statusCode: number): void };
  /** A child span per SQL statement of a traced call (its text only, never its parameters). */
  sqlPlugin: KyselyPlugin;
  shutdown(): Promise<void>;
}

/**
 * OpenTelemetry tracing when OTEL_EXPORTER_OTLP_ENDPOINT is set: a span per HTTP request, a child
 * per procedure call, a grandchild per SQL statement, exported over OTLP/HTTP in batches. Unset:
 * nothing; the SDK is not even loaded, and a procedure call pays one property read.
 */
export async function startTracing(config: Config, log: FastifyBaseLogger): Promise<Tracing | undefined> {
  if (!config.otel) return undefined;
  const api = await import('@opentelemetry/api');
  const { TracerProvider, BatchSpanProcessor } = await import('@opentelemetry/sdk-trace');
  const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
  const { resourceFromAttributes } = await import('@opentelemetry/resources');
  const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');

  // Parent/child spans follow the async flow of each request.
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const exporter = new OTLPTraceExporter({ url: `${config.otel.endpoint.replace(/\/+$/, '')}/v1/traces` });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': config.otel.serviceName }),
    spanProcessors: [new BatchSpanProcessor({ exporter })],
  });
  const tracer = provider.getTracer('bistro');
  const requests = new Map<string, Span>();
  const statements = new WeakMap<object, Span>();
  log.info({ serviceName: config.otel.serviceName }, 'tracing: spans are exported over OTLP/HTTP');

  return {
    startRequest(requestId, method) {
      const span = tracer.startSpan(`HTTP ${method}`, { kind: api.SpanKind.SERVER, attributes: { 'http.request.method': method, 'bistro.request_id': requestId } });
      requests.set(requestId, span);
      return {
        traceId: span.spanContext().traceId,
        end(route, statusCode) {
          requests.delete(requestId);
          if (route) {
            span.updateName(`HTTP ${method} ${route}`);
            span.setAttribute('http.route', route);
          }
          span.setAttribute('http.response.status_code', statusCode);
          if (statusCode >= 500) span.setStatus({ code: api.SpanStatusCode.ERROR });
          span.end();
        },
      };
    },
    async trace(name, requestId, run) {
      const parent = requests.get(requestId);
      const parentContext = parent ? api.trace.setSpan(api.context.active(), parent) : api.context.active();
      return tracer.startActiveSpan(name, {}, parentContext, async (span) => {
        try {
          return await run();
        } finally {
          span.end();
        }
      });
    },
    sqlPlugin: {
      transformQuery(args) {
        // Only inside a traced call; the statement's kind, never its parameters.
        if (api.trace.getSpan(api.context.active())) {
          statements.set(args.queryId, tracer.startSpan(`sql ${args.node.kind.replace(/Node$/, '').toLowerCase()}`, { kind: api.SpanKind.CLIENT, attributes: { 'db.system.name': 'postgresql' } }));
        }
        return args.node;
      },
      async transformResult(args) {
        statements.get(args.queryId)?.end();
        return args.result;
      },
    },
    async shutdown() {
      await provider.shutdown().catch((error: unknown) => log.warn({ err: error }, 'tracing: could not flush the last spans'));
      api.context.disable();
    },
  };
}
