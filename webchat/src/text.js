// Turns message text into DOM nodes. Text is only ever inserted as text nodes:
// nothing the bot or the user writes is interpreted as HTML. Links are the one
// structure recognised (Markdown links, bare http(s) URLs, e-mail addresses),
// and only with safe schemes.

const SAFE_SCHEMES = new Set(["http:", "https:", "mailto:", "tel:"]);

// 1: markdown label, 2: markdown target, 3: bare URL, 4: e-mail address.
const LINK_RE =
  /\[([^\]\n]{1,200})\]\(((?:https?:\/\/|mailto:|tel:)[^\s()]+)\)|(https?:\/\/[^\s<>"]*[^\s<>".,;:!?)\]'’»])|([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})/g;

/** Returns the href when it parses and uses a safe scheme, else null. */
export function safeHref(raw) {
  try {
    const url = new URL(raw);
    return SAFE_SCHEMES.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

/** Splits text into [{text}|{text, href}] segments. */
export function segments(text) {
  const out = [];
  let last = 0;
  const source = String(text ?? "");
  for (const m of source.matchAll(LINK_RE)) {
    const [whole, label, target, bare, email] = m;
    const href = target ? safeHref(target) : bare ? safeHref(bare) : safeHref(`mailto:${email}`);
    if (!href) continue;
    if (m.index > last) out.push({ text: source.slice(last, m.index) });
    out.push({ text: label || bare || email, href });
    last = m.index + whole.length;
  }
  if (last < source.length) out.push({ text: source.slice(last) });
  return out;
}

/** Appends the text, with its links, to `parent` using text nodes only. */
export function appendRichText(parent, text, newTabHint) {
  const doc = parent.ownerDocument;
  for (const seg of segments(text)) {
    if (!seg.href) {
      parent.appendChild(doc.createTextNode(seg.text));
      continue;
    }
    const a = doc.createElement("a");
    a.href = seg.href;
    a.textContent = seg.text;
    if (/^https?:/.test(seg.href)) {
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      if (newTabHint) a.title = newTabHint;
    }
    parent.appendChild(a);
  }
}

const RTL_CHARS = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/gu;
const LETTERS = /\p{L}/gu;

/**
 * Direction of one message: right to left when most of its letters (links and
 * e-mail addresses left out) are in a right-to-left script, so an Arabic answer
 * that names "Innovationsarena Inland" stays right to left.
 */
export function direction(text) {
  const plain = String(text ?? "").replace(LINK_RE, (w, label) => label || " ");
  const rtl = (plain.match(RTL_CHARS) || []).length;
  const letters = (plain.match(LETTERS) || []).length;
  return rtl > 0 && rtl * 2 >= letters ? "rtl" : "ltr";
}
