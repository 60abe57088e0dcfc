import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { getTRPCErrorFromUnknown, getTRPCErrorShape } from '@trpc/server';
import { appRouter, openCsvReport, type Context } from '@bistro/api';
import { CSV_REPORTS } from '@bistro/domain';
import type { Metrics } from './metrics.js';

/**
 * GET /reports/{sales,kitchen,items,orders}.csv?locationId=…&from=YYYY-MM-DD&to=YYYY-MM-DD[&groupBy=…]:
 * a report as a CSV file, for the location's manager (or an admin), signed in by cookie or
 * bearer token like any call. The file is streamed as the database is read, a page at a time.
 * Refusals have Bistro's shape outside /trpc: `{ "error": { "bistroCode", "message", "fieldErrors" } }`.
 */
export function registerReportDownloads(
  app: FastifyInstance,
  contextFor: (req: FastifyRequest, reply: FastifyReply) => Promise<Context>,
  metrics: Pick<Metrics, 'errorAnswered'> | undefined,
): void {
  app.get<{ Params: { file: string }; Querystring: Record<string, string | string[]> }>('/reports/:file', async (req, reply) => {
    const report = CSV_REPORTS.find((name) => `${name}.csv` === req.params.file);
    if (!report) return reply.code(404).send({ error: { bistroCode: 'NOT_FOUND', message: 'No such report' } });
    try {
      const download = await openCsvReport(await contextFor(req, reply), report, { ...req.query });
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${download.filename}"`)
        .header('cache-control', 'no-store')
        .send(Readable.from(download.lines));
    } catch (error) {
      const trpcError = getTRPCErrorFromUnknown(error);
      const shape = getTRPCErrorShape({ config: appRouter._def._config, error: trpcError, type: 'query', path: undefined, input: undefined, ctx: undefined });
      const data = shape.data;
      metrics?.errorAnswered(data.bistroCode);
      if (data.bistroCode === 'INTERNAL' || data.bistroCode === 'UNAVAILABLE') req.log.error({ err: error }, 'report download failed');
      return reply.code(data.httpStatus).send({ error: { bistroCode: data.bistroCode, message: shape.message, fieldErrors: data.fieldErrors } });
    }
  });
}
