import mjml2html from 'mjml';

/** One block of an email: a paragraph, a button-like link, a table of rows, or small print. */
export type Block =
  | { type: 'text'; text: string }
  | { type: 'link'; label: string; href: string }
  | { type: 'rows'; rows: { label: string; value: string; strong?: boolean }[] }
  | { type: 'small'; text: string }
  /** Already sanitised HTML (a campaign's Markdown, newsletter/render.ts) and its plain-text form. */
  | { type: 'html'; html: string; text: string };

export interface EmailContent {
  subject: string;
  /** The first line an inbox shows. */
  preview: string;
  heading: string;
  blocks: Block[];
  /** Who sends it: the location's name and address, or Bistro. */
  footer: string;
}

export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

const FONT = 'Helvetica, Arial, sans-serif';

function blockMjml(block: Block): string {
  switch (block.type) {
    case 'text':
      return `<mj-text font-size="15px" line-height="22px">${escapeHtml(block.text).replaceAll('\n', '<br />')}</mj-text>`;
    case 'small':
      return `<mj-text font-size="12px" color="#666666">${escapeHtml(block.text).replaceAll('\n', '<br />')}</mj-text>`;
    case 'html':
      return `<mj-text font-size="15px" line-height="22px">${block.html}</mj-text>`;
    case 'link':
      return `<mj-button href="${escapeHtml(block.href)}" background-color="#1f4d3a" color="#ffffff" align="left">${escapeHtml(block.label)}</mj-button>`;
    case 'rows':
      return `<mj-table font-size="14px">${block.rows
        .map(
          (r) =>
            `<tr><td style="padding:4px 0;${r.strong ? 'font-weight:bold;' : ''}">${escapeHtml(r.label)}</td><td style="padding:4px 0;text-align:right;${r.strong ? 'font-weight:bold;' : ''}">${escapeHtml(r.value)}</td></tr>`,
        )
        .join('')}</mj-table>`;
  }
}

/**
 * The HTML part, from MJML (responsive, table-based, inlined styles that email clients keep).
 * Self-contained: no web fonts, images or style sheets from elsewhere, which clients block.
 */
export async function renderHtml(content: EmailContent): Promise<string> {
  const source = `<mjml>
  <mj-head>
    <mj-title>${escapeHtml(content.subject)}</mj-title>
    <mj-preview>${escapeHtml(content.preview)}</mj-preview>
    <mj-attributes><mj-all font-family="${FONT}" /></mj-attributes>
  </mj-head>
  <mj-body background-color="#f4f1ec">
    <mj-section background-color="#ffffff" padding="24px">
      <mj-column>
        <mj-text font-size="22px" font-weight="bold">${escapeHtml(content.heading)}</mj-text>
        ${content.blocks.map(blockMjml).join('\n        ')}
        <mj-divider border-width="1px" border-color="#dddddd" />
        <mj-text font-size="12px" color="#666666">${escapeHtml(content.footer).replaceAll('\n', '<br />')}</mj-text>
      </mj-column>
    </mj-section>
  </mj-body>
</mjml>`;
  // No web fonts: MJML would otherwise link Google Fonts for the families it knows.
  const { html, errors } = await mjml2html(source, { fonts: {}, validationLevel: 'strict', keepComments: false });
  if (errors.length) throw new Error(`email template: ${errors.map((e) => e.formattedMessage).join('; ')}`);
  return html;
}

/** The plain-text part: the same content, readable as is. */
export function renderText(content: EmailContent): string {
  const parts = [content.heading, ''];
  for (const block of content.blocks) {
    if (block.type === 'text' || block.type === 'small') parts.push(block.text, '');
    if (block.type === 'link') parts.push(`${block.label}: ${block.href}`, '');
    if (block.type === 'html') parts.push(block.text, '');
    if (block.type === 'rows') {
      const width = Math.max(...block.rows.map((r) => r.label.length));
      for (const r of block.rows) parts.push(`${r.label.padEnd(width)}  ${r.value}`);
      parts.push('');
    }
  }
  parts.push('--', content.footer);
  return `${parts.join('\n').trim()}\n`;
}
