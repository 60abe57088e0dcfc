import { formatMoney, money } from '@bistro/domain';
import type { Context } from '../context.js';
import { escapeHtml } from '../emails/layout.js';
import { localTime, orderRows } from '../emails/order-emails.js';
import { BistroError } from '../errors.js';
import { orderByToken } from './access.js';
import { readOrderDetail } from './detail.js';

/**
 * The receipt page, `/r/:trackingToken`: server-rendered HTML, printable, no JavaScript. The
 * location, the order's number, its time in the location's zone, the lines with their options,
 * tax, tip and totals; no personal data (a receipt is what its token holder may see). Null for
 * an unknown or wrong token: the route answers 404 with no hint which.
 */
export async function receiptHtml(ctx: Pick<Context, 'db' | 'services'>, trackingToken: string): Promise<string | null> {
  let orderId: string;
  try {
    ({ orderId } = await orderByToken(ctx, trackingToken));
  } catch (error) {
    if (error instanceof BistroError && error.bistroCode === 'NOT_FOUND') return null;
    throw error;
  }
  const order = await readOrderDetail(ctx, orderId, 'tokenHolder');
  const location = await ctx.db.selectFrom('locations').select(['name', 'address', 'time_zone as timeZone']).where('id', '=', order.location.id).executeTakeFirstOrThrow();
  const rows = orderRows({ ...order, lines: order.lines });
  const fmt = (minor: number) => formatMoney(money(minor, order.currency));
  const lineRows = order.lines
    .map((line) => {
      const options = line.options.map((o) => `<div class="opt">${escapeHtml(o.groupName ? `${o.groupName}: ${o.name}` : o.name)}${o.priceDeltaMinor ? ` (${escapeHtml(fmt(o.priceDeltaMinor))})` : ''}</div>`).join('');
      const note = line.note ? `<div class="opt">Note: ${escapeHtml(line.note)}</div>` : '';
      return `<tr><td>${line.quantity} × ${escapeHtml(line.name)}${options}${note}</td><td class="n">${escapeHtml(fmt(line.lineTotalMinor))}</td></tr>`;
    })
    .join('\n');
  const totals = rows
    .slice(order.lines.length)
    .map((r) => `<tr class="${r.strong ? 'total' : ''}"><td>${escapeHtml(r.label)}</td><td class="n">${escapeHtml(r.value)}</td></tr>`)
    .join('\n');
  const status = order.status.replace('_', ' ');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Receipt ${escapeHtml(order.number)} · ${escapeHtml(location.name)}</title>
<style>
body { font: 15px/1.4 Helvetica, Arial, sans-serif; color: #222; max-width: 32rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.3rem; margin: 0 0 .25rem; } .muted { color: #666; }
table { width: 100%; border-collapse: collapse; margin-top: 1rem; } td { padding: .35rem 0; vertical-align: top; border-bottom: 1px solid #eee; }
td.n { text-align: right; white-space: nowrap; padding-left: 1rem; } .opt { color: #666; font-size: .9em; }
tr.total td { font-weight: bold; border-bottom: 0; border-top: 2px solid #222; }
@media print { body { margin: 0; max-width: none; } }
</style>
</head>
<body>
<main>
<h1>${escapeHtml(location.name)}</h1>
<p class="muted">${escapeHtml(location.address).replaceAll('\n', '<br>')}</p>
<p>Order <strong>${escapeHtml(order.number)}</strong> · ${escapeHtml(localTime(order.placedAt, location.timeZone))} · ${escapeHtml(status)}</p>
<table>
${lineRows}
${totals}
</table>
</main>
</body>
</html>
`;
}
