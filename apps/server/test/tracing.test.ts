import { createServer as createHttpServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logCollector, startTestServer } from './helpers.js';

/**
 * Tracing on a real wire: Bistro exports over OTLP/HTTP (JSON) to a receiver in this process,
 * as it would to an OpenTelemetry Collector. The spans arrive when the server stops (the batch
 * is flushed on shutdown), so nothing here waits on a timer.
 */

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes?: { key: string; value: { stringValue?: string; intValue?: number | string } }[];
}

let receiver: Server;
let endpoint: string;
const spans: OtlpSpan[] = [];
const contentTypes: string[] = [];

beforeAll(async () => {
  receiver = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      contentTypes.push(req.headers['content-type'] ?? '');
      if (req.url === '/v1/traces') {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] };
        for (const r of body.resourceSpans) for (const s of r.scopeSpans) spans.push(...s.spans);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
});
afterAll(() => new Promise((resolve) => receiver?.close(resolve)));

describe('tracing with OTEL_EXPORTER_OTLP_ENDPOINT', () => {
  it('exports a span per request, a child per procedure and a grandchild per SQL statement, and logs the trace id beside the request id', async () => {
    const logs = logCollector();
    const t = await startTestServer({ OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, LOG_LEVEL: 'info', LOG_FORMAT: 'json' }, { logStream: logs.stream });
    const answer = await fetch(`${t.url}/trpc/locations.list`, { headers: { 'x-request-id': 'trace-me-1' } });
    expect(answer.status).toBe(200);
    await t.close();

    expect(contentTypes.every((c) => c.startsWith('application/json'))).toBe(true);
    const request = spans.find((s) => s.name === 'HTTP GET /trpc/:path' && s.attributes?.some((a) => a.key === 'bistro.request_id' && a.value.stringValue === 'trace-me-1'));
    expect(request).toBeDefined();
    const procedure = spans.find((s) => s.name === 'trpc locations.list' && s.parentSpanId === request!.spanId);
    expect(procedure?.traceId).toBe(request!.traceId);
    const sql = spans.filter((s) => s.parentSpanId === procedure!.spanId);
    expect(sql.length).toBeGreaterThanOrEqual(1);
    expect(sql.map((s) => [/^sql [a-z]+$/.test(s.name), s.traceId])).toEqual(sql.map(() => [true, request!.traceId]));
    // The statement's text and parameters never leave in a span.
    expect(JSON.stringify(sql)).not.toMatch(/from "locations"|\$1/);

    const completed = logs.lines.find((l) => l.requestId === 'trace-me-1' && l.msg === 'request completed');
    expect(completed?.traceId).toBe(request!.traceId);
  });

  it('is off without the variable: no span is sent and no trace id is logged', async () => {
    const before = spans.length;
    const logs = logCollector();
    const t = await startTestServer({ LOG_LEVEL: 'info', LOG_FORMAT: 'json' }, { logStream: logs.stream });
    await fetch(`${t.url}/trpc/locations.list`, { headers: { 'x-request-id': 'untraced-1' } });
    await t.close();
    expect(spans.length).toBe(before);
    expect(logs.lines.find((l) => l.requestId === 'untraced-1')).toBeDefined();
    expect(logs.lines.some((l) => 'traceId' in l)).toBe(false);
  });
});
