// HubGuide web chat: one <script src=".../widget.js" data-server="RASA_URL"> on any page
// adds a chat launcher. The widget lives in a shadow root so the host page's styles
// and the widget's cannot disturb each other.
import css from "./widget.css";
import { Connection } from "./connection.js";
import { catalogue } from "./i18n/index.js";
import { Store } from "./store.js";
import { appendRichText, direction } from "./text.js";

const TYPING_QUIET_MS = 900; // hide the indicator once the bot has been quiet this long
const TYPING_GIVE_UP_MS = 30000;

function el(doc, tag, attrs = {}, text) {
  const node = doc.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v == null) continue;
    node.setAttribute(k, v === true ? "" : String(v));
  }
  if (text != null) node.textContent = text;
  return node;
}

/** Buttons of a bot message, in either of the shapes Rasa's socket.io channel sends. */
function buttonsOf(data) {
  const raw = data.quick_replies || data.buttons || [];
  return raw
    .filter((b) => b && (b.title != null || b.payload != null))
    .map((b) => ({ title: String(b.title ?? b.payload), payload: String(b.payload ?? b.title) }));
}

function imageOf(data) {
  const a = data.attachment;
  const src = a && a.type === "image" && a.payload && a.payload.src;
  return typeof src === "string" && /^https?:\/\//.test(src) ? src : null;
}

/** A file the bot offers (a deadline's calendar file): its link and label, or null. */
function fileOf(data) {
  const a = data.attachment;
  const src = a && a.type === "file" && a.payload && a.payload.src;
  if (typeof src !== "string" || !/^https?:\/\//.test(src)) return null;
  const title = typeof a.payload.title === "string" && a.payload.title ? a.payload.title : src;
  return { src, title };
}

const SVG = "http://www.w3.org/2000/svg";
// A thumb drawn as a path (no emoji font needed); the "down" button turns it over in CSS.
const THUMB_PATH = "M2 10h4v11H2z M8 10l4-8c1.7 0 3 1.3 3 3v3h5.5c1.4 0 2.4 1.3 2 2.6l-2.3 8A2 2 0 0 1 18.3 21H8z";

function thumbIcon(doc) {
  const svg = doc.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", "16");
  svg.setAttribute("height", "16");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const path = doc.createElementNS(SVG, "path");
  path.setAttribute("d", THUMB_PATH);
  path.setAttribute("fill", "currentColor");
  svg.appendChild(path);
  return svg;
}

class ChatWidget {
  constructor(script) {
    const doc = document;
    this.doc = doc;
    this.server = script.dataset.server || new URL(script.src, location.href).origin;
    // votes go to the web server that served this script (webchat/feedback.py)
    this.feedbackUrl = `${new URL(script.src, location.href).origin}/feedback`;
    this.locale = navigator.language || (navigator.languages || [])[0] || "en";
    const { code, strings } = catalogue(script.dataset.lang || this.locale);
    this.lang = code;
    this.t = strings;
    this.store = new Store(this.server);
    this.typingTimer = null;
    this.giveUpTimer = null;
    this.connection = new Connection(this.server, () => this.store.sessionId, {
      onConnecting: () => this.setStatus("connecting"),
      onOffline: () => this.setStatus("offline"),
      onReady: () => {
        this.setStatus("ok");
        this.flush();
      },
      onSession: (id) => this.store.set("sessionId", id),
      onBotMessage: (data) => this.receive(data),
    });
    this.build();
    this.renderAll();
    if (this.store.state.open) this.open(false);
    else if (this.store.pending().length) this.connection.start();
  }

  build() {
    const { doc, t } = this;
    this.host = el(doc, "div", { id: "hubguide-webchat", "data-hubguide-webchat": "" });
    const root = this.host.attachShadow({ mode: "open" });
    if ("adoptedStyleSheets" in doc && typeof CSSStyleSheet === "function") {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      root.adoptedStyleSheets = [sheet];
    } else {
      root.appendChild(el(doc, "style", {}, css));
    }
    const shell = el(doc, "div", { class: "hg", dir: t.dir, lang: this.lang });

    this.launcher = el(doc, "button", {
      type: "button",
      class: "hg-launcher",
      "aria-expanded": "false",
      "aria-controls": "hg-panel",
    });
    this.launcher.appendChild(el(doc, "span", { class: "hg-launcher-icon", "aria-hidden": "true" }));
    this.launcher.appendChild(el(doc, "span", { class: "hg-launcher-label" }, t.openChat));
    this.launcher.addEventListener("click", () => this.open(true));

    const panel = el(doc, "section", {
      id: "hg-panel",
      class: "hg-panel",
      role: "dialog",
      "aria-label": t.title,
      hidden: true,
    });
    panel.addEventListener("keydown", (e) => {
      if (e.key === "Escape") this.close();
    });

    const header = el(doc, "header", { class: "hg-header" });
    const titles = el(doc, "div", { class: "hg-titles" });
    titles.appendChild(el(doc, "h2", { class: "hg-title" }, t.title));
    titles.appendChild(el(doc, "p", { class: "hg-subtitle" }, t.subtitle));
    header.appendChild(titles);
    this.newButton = el(doc, "button", { type: "button", class: "hg-new" }, t.newConversation);
    this.newButton.addEventListener("click", () => this.newConversation());
    const closeButton = el(doc, "button", { type: "button", class: "hg-close", "aria-label": t.closeChat }, "×");
    closeButton.addEventListener("click", () => this.close());
    header.append(this.newButton, closeButton);

    this.status = el(doc, "p", { class: "hg-status", role: "status", "aria-live": "polite", hidden: true });

    this.log = el(doc, "div", {
      class: "hg-log",
      role: "log",
      "aria-live": "polite",
      "aria-label": t.transcript,
      tabindex: "0",
    });
    this.intro = el(doc, "p", { class: "hg-intro" }, t.intro);
    this.typing = el(doc, "div", { class: "hg-typing", role: "status", "aria-label": t.typing, hidden: true });
    for (let i = 0; i < 3; i += 1) this.typing.appendChild(el(doc, "span", { "aria-hidden": "true" }));

    const form = el(doc, "form", { class: "hg-form" });
    this.input = el(doc, "textarea", {
      class: "hg-input",
      rows: "1",
      dir: "auto",
      "aria-label": t.inputLabel,
      placeholder: t.inputPlaceholder,
      maxlength: "2000",
      enterkeyhint: "send",
    });
    this.input.value = this.store.state.draft || "";
    this.input.addEventListener("input", () => this.store.set("draft", this.input.value));
    this.input.addEventListener("keydown", (e) => {
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.submit();
      }
    });
    const send = el(doc, "button", { type: "submit", class: "hg-send" }, t.send);
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      this.submit();
    });
    form.append(this.input, send);

    panel.append(header, this.status, this.log, this.typing, form);
    this.panel = panel;
    shell.append(panel, this.launcher);
    root.appendChild(shell);
    (doc.body || doc.documentElement).appendChild(this.host);
  }

  open(focus) {
    this.panel.hidden = false;
    this.launcher.setAttribute("aria-expanded", "true");
    this.launcher.hidden = true;
    this.store.set("open", true);
    this.connection.start();
    this.scrollToEnd();
    if (focus) this.input.focus();
  }

  close() {
    this.panel.hidden = true;
    this.launcher.hidden = false;
    this.launcher.setAttribute("aria-expanded", "false");
    this.store.set("open", false);
    this.launcher.focus();
  }

  setStatus(state) {
    this.connectionState = state;
    if (state === "ok") {
      this.status.hidden = true;
      this.status.textContent = "";
    } else {
      this.status.hidden = false;
      this.status.dataset.state = state;
      this.status.textContent = state === "offline" ? this.t.offline : this.t.connecting;
    }
  }

  submit() {
    const text = this.input.value.trim();
    if (!text) return;
    this.input.value = "";
    this.store.set("draft", "");
    this.say(text, text);
    this.input.focus();
  }

  /** Shows the user's words and sends `payload` (the same text, or a button's payload). */
  say(shown, payload) {
    const message = this.store.add({ author: "user", text: shown, payload, status: "pending" });
    this.renderMessage(message);
    this.flush();
  }

  /** Sends the messages still pending, oldest first. */
  flush() {
    for (const m of this.store.pending()) {
      if (!this.connection.send(m.payload ?? m.text, { locale: this.locale })) {
        this.connection.start();
        return;
      }
      this.store.update(m.id, { status: "sent" });
      const node = this.log.querySelector(`[data-id="${m.id}"]`);
      if (node) this.markSent(node);
      this.showTyping();
    }
  }

  receive(data) {
    const text = typeof data.text === "string" ? data.text : "";
    const buttons = buttonsOf(data);
    const image = imageOf(data);
    const file = fileOf(data);
    if (!text && !buttons.length && !image && !file) return;
    // the answer's timestamp in the tracker store (webchat/rasa_channel.py): what a vote names
    const stamp = data.metadata && data.metadata.ts;
    const answerTs = typeof stamp === "number" && Number.isFinite(stamp) ? stamp : null;
    const message = this.store.add({
      author: "bot",
      text,
      buttons,
      image,
      file,
      chosen: null,
      answerTs,
      vote: null,
    });
    this.renderMessage(message);
    this.showTyping(TYPING_QUIET_MS);
  }

  /** With no argument: the bot is working. With a delay: hide after that much quiet. */
  showTyping(quietMs) {
    clearTimeout(this.typingTimer);
    clearTimeout(this.giveUpTimer);
    if (quietMs) {
      this.typingTimer = setTimeout(() => {
        this.typing.hidden = true;
      }, quietMs);
      return;
    }
    this.typing.hidden = false;
    this.scrollToEnd();
    this.giveUpTimer = setTimeout(() => {
      this.typing.hidden = true;
    }, TYPING_GIVE_UP_MS);
  }

  choose(message, index) {
    const button = message.buttons[index];
    this.store.update(message.id, { chosen: index });
    const node = this.log.querySelector(`[data-id="${message.id}"]`);
    if (node) this.disableChoices(node, index);
    this.say(button.title, button.payload);
    this.input.focus(); // the chosen button is now disabled: keep the keyboard user in the chat
  }

  newConversation() {
    this.store.reset();
    this.typing.hidden = true;
    this.renderAll();
    this.connection.restart();
    this.input.value = "";
    this.input.focus();
  }

  renderAll() {
    this.log.replaceChildren(this.intro);
    for (const m of this.store.messages) this.renderMessage(m, false);
    this.scrollToEnd();
  }

  renderMessage(m, scroll = true) {
    const { doc, t } = this;
    const item = el(doc, "div", {
      class: `hg-msg hg-${m.author}`,
      "data-author": m.author,
      "data-id": m.id,
    });
    item.appendChild(el(doc, "span", { class: "hg-sr" }, m.author === "user" ? t.you : t.bot));
    if (m.text) {
      const bubble = el(doc, "div", { class: "hg-bubble", dir: direction(m.text) });
      appendRichText(bubble, m.text, t.opensNewTab);
      item.appendChild(bubble);
    }
    if (m.image) item.appendChild(el(doc, "img", { class: "hg-image", src: m.image, alt: "" }));
    if (m.file) {
      const link = el(doc, "a", { class: "hg-file", href: m.file.src, download: "", rel: "noopener" }, m.file.title);
      item.appendChild(link);
    }
    if (m.buttons && m.buttons.length) {
      const group = el(doc, "div", { class: "hg-choices", role: "group", "aria-label": t.choices });
      m.buttons.forEach((b, i) => {
        const button = el(doc, "button", { type: "button", class: "hg-choice", dir: direction(b.title) }, b.title);
        button.addEventListener("click", () => this.choose(m, i));
        group.appendChild(button);
      });
      item.appendChild(group);
      if (m.chosen != null) this.disableChoices(item, m.chosen);
    }
    if (m.author === "bot" && m.text && m.answerTs != null) item.appendChild(this.voteButtons(m));
    if (m.status === "pending") {
      item.dataset.status = "pending";
      item.appendChild(el(doc, "span", { class: "hg-pending" }, t.pending));
    }
    this.log.appendChild(item);
    if (scroll) this.scrollToEnd();
  }

  /** Thumbs up / down under an answer: real toggle buttons (aria-pressed), one vote each. */
  voteButtons(m) {
    const { doc, t } = this;
    const group = el(doc, "div", { class: "hg-votes", role: "group", "aria-label": t.rateAnswer });
    const note = el(doc, "span", { class: "hg-vote-note", role: "status", hidden: true });
    for (const [vote, label] of [
      ["up", t.voteUp],
      ["down", t.voteDown],
    ]) {
      const button = el(
        doc,
        "button",
        {
          type: "button",
          class: `hg-vote hg-vote-${vote}`,
          "data-vote": vote,
          "aria-label": label,
          title: label,
          "aria-pressed": m.vote === vote ? "true" : "false",
        },
      );
      button.appendChild(thumbIcon(doc));
      button.addEventListener("click", () => this.vote(m, vote, group, note));
      group.appendChild(button);
    }
    group.appendChild(note);
    return group;
  }

  async vote(m, vote, group, note) {
    note.hidden = true;
    let ok = false;
    try {
      const response = await fetch(this.feedbackUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ session_id: this.store.sessionId, timestamp: m.answerTs, vote }),
      });
      ok = response.ok;
    } catch {
      ok = false;
    }
    if (!ok) {
      note.textContent = this.t.voteFailed;
      note.hidden = false;
      return;
    }
    this.store.update(m.id, { vote });
    group.querySelectorAll(".hg-vote").forEach((b) => {
      b.setAttribute("aria-pressed", b.dataset.vote === vote ? "true" : "false");
    });
  }

  markSent(node) {
    delete node.dataset.status;
    const note = node.querySelector(".hg-pending");
    if (note) note.remove();
  }

  disableChoices(node, chosen) {
    node.querySelectorAll(".hg-choice").forEach((b, i) => {
      b.disabled = true;
      if (i === chosen) b.setAttribute("aria-pressed", "true");
    });
  }

  scrollToEnd() {
    this.log.scrollTop = this.log.scrollHeight;
  }
}

function boot() {
  const script =
    document.currentScript ||
    document.querySelector("script[data-server][src*='widget.js']") ||
    document.querySelector("script[src*='widget.js']");
  if (!script || window.__hubguideWebchat) return;
  const start = () => {
    window.__hubguideWebchat = new ChatWidget(script);
  };
  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start, { once: true });
}

boot();
