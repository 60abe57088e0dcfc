import { Marked, type Token, type Tokens } from 'marked';
import sanitizeHtml from 'sanitize-html';

/**
 * A campaign's Markdown as an email carries it: sanitised HTML (a fixed list of text tags, links
 * to http(s) and mailto only, no images, styles, scripts or raw HTML attributes: nothing an email
 * client blocks or a manager could use against a reader) and a plain-text form of the same.
 */

const markdown = new Marked({ gfm: true, breaks: false, async: false });

const ALLOWED_TAGS = ['p', 'br', 'strong', 'b', 'em', 'i', 'del', 'a', 'ul', 'ol', 'li', 'h1', 'h2', 'h3', 'h4', 'blockquote', 'code', 'pre', 'hr', 'table', 'thead', 'tbody', 'tr', 'th', 'td'];

export function campaignHtml(source: string): string {
  const html = markdown.parse(source) as string;
  return sanitizeHtml(html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: { a: ['href'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
  });
}

/** The plain-text part: the Markdown's words without its marks, links written out as "label (url)". */
export function campaignText(source: string): string {
  const blocks = markdown.lexer(source).map(blockText).filter((b) => b.length > 0);
  return blocks.join('\n\n').trim();
}

function blockText(token: Token): string {
  switch (token.type) {
    case 'heading':
      return inlineText((token as Tokens.Heading).tokens).toUpperCase();
    case 'paragraph':
      return inlineText((token as Tokens.Paragraph).tokens);
    case 'list': {
      const list = token as Tokens.List;
      return list.items
        .map((item, i) => `${list.ordered ? `${Number(list.start || 1) + i}.` : '-'} ${item.tokens.map(blockText).join('\n').trim()}`)
        .join('\n');
    }
    case 'blockquote':
      return (token as Tokens.Blockquote).tokens
        .map(blockText)
        .join('\n\n')
        .split('\n')
        .map((l) => `> ${l}`)
        .join('\n');
    case 'code':
      return (token as Tokens.Code).text;
    case 'hr':
      return '----';
    case 'text': {
      const text = token as Tokens.Text;
      return text.tokens ? inlineText(text.tokens) : decode(text.text);
    }
    case 'table': {
      const table = token as Tokens.Table;
      const row = (cells: Tokens.TableCell[]) => cells.map((c) => inlineText(c.tokens)).join(' | ');
      return [row(table.header), ...table.rows.map(row)].join('\n');
    }
    case 'html':
      return plain((token as Tokens.HTML).text);
    default:
      return '';
  }
}

function inlineText(tokens: Token[] | undefined): string {
  if (!tokens) return '';
  return tokens
    .map((token) => {
      switch (token.type) {
        case 'link': {
          const link = token as Tokens.Link;
          const label = inlineText(link.tokens);
          return safeHref(link.href) ? (label && label !== link.href ? `${label} (${link.href})` : link.href) : label;
        }
        case 'image':
          return (token as Tokens.Image).text;
        case 'br':
          return '\n';
        case 'codespan':
          return decode((token as Tokens.Codespan).text);
        case 'html':
          return plain((token as Tokens.Tag).text);
        case 'strong':
        case 'em':
        case 'del':
          return inlineText((token as Tokens.Strong).tokens);
        case 'text':
        case 'escape': {
          const text = token as Tokens.Text;
          return text.tokens ? inlineText(text.tokens) : decode(text.text);
        }
        default:
          return 'text' in token && typeof token.text === 'string' ? decode(token.text) : '';
      }
    })
    .join('');
}

function safeHref(href: string): boolean {
  return /^(https?:|mailto:)/i.test(href);
}

/** Raw HTML in the Markdown: its text only. */
function plain(html: string): string {
  return decode(sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} }));
}

function decode(text: string): string {
  return text.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&');
}
