/**
 * The local Telegram endpoint's reading of `parse_mode: "HTML"` text, written from the Bot API's
 * "HTML style" section (not from any client's code): only the listed tags, `<a href>` and
 * `<span class="tg-spoiler">` with their one attribute, every tag closed in order, and `<`, `>`,
 * `&` written as `&lt;` `&gt;` `&amp;` (or a numeric entity). Anything else is refused the way
 * Telegram refuses it, `Bad Request: can't parse entities: …`, so a client that forgets to escape
 * a symbol or a message fails here as it would in production.
 *
 * @see https://core.telegram.org/bots/api#html-style
 */

const TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler', 'a', 'code', 'pre', 'blockquote', 'tg-emoji']);
const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/** What Telegram shows of an HTML message: its text without tags, entities decoded. */
export type HtmlReading = { ok: true; plain: string } | { ok: false; error: string };

function byteOffset(text: string, index: number): number {
  return Buffer.byteLength(text.slice(0, index), 'utf8');
}

/** Reads `text` as Telegram's HTML parse mode does; `error` is the Bot API's description. */
export function readTelegramHtml(text: string): HtmlReading {
  const open: string[] = [];
  let plain = '';
  let i = 0;
  const fail = (why: string): HtmlReading => ({ ok: false, error: `Bad Request: can't parse entities: ${why} at byte offset ${byteOffset(text, i)}` });
  while (i < text.length) {
    const c = text[i] as string;
    if (c === '<') {
      const end = text.indexOf('>', i);
      if (end < 0) return fail('Unclosed start tag');
      const inner = text.slice(i + 1, end);
      const closing = inner.startsWith('/');
      const m = /^\/?([a-z-]+)(\s+[a-z-]+\s*=\s*"[^"]*")?\s*$/.exec(inner);
      const name = m?.[1];
      if (!m || name === undefined || !TAGS.has(name)) return fail(`Unsupported ${closing ? 'end' : 'start'} tag "${inner.replace(/^\//, '').split(/\s/)[0] ?? ''}"`);
      if (closing) {
        if (open.pop() !== name) return fail(`Unmatched end tag "${name}"`);
      } else {
        open.push(name);
      }
      i = end + 1;
    } else if (c === '>') {
      return fail('Character \'>\' is reserved and must be escaped with "&gt;"');
    } else if (c === '&') {
      const m = /^&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-z]+);/.exec(text.slice(i, i + 12));
      const body = m?.[1];
      if (!m || body === undefined) return fail('Character \'&\' is reserved and must be escaped with "&amp;"');
      const point = body.startsWith('#x') ? parseInt(body.slice(2), 16) : body.startsWith('#') ? Number(body.slice(1)) : -1;
      const decoded = point > 0 && point <= 0x10ffff ? String.fromCodePoint(point) : point < 0 ? NAMED[body] : undefined;
      if (decoded === undefined) return fail(`Unsupported HTML entity "&${body};"`);
      plain += decoded;
      i += m[0].length;
    } else {
      plain += c;
      i++;
    }
  }
  if (open.length > 0) return fail(`Can't find end tag corresponding to start tag "${open.at(-1) ?? ''}"`);
  return { ok: true, plain };
}
