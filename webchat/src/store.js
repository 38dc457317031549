// What survives a page reload: the session id Rasa knows the conversation by (given by the
// server),
// the transcript as shown, messages not yet delivered, the draft and whether the
// panel was open. Kept in localStorage, one entry per assistant server.

const MAX_MESSAGES = 300;

function randomId() {
  if (globalThis.crypto && crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
  return Array.from({ length: 32 }, () => Math.floor(Math.random() * 16).toString(16)).join("");
}

export class Store {
  constructor(server) {
    this.key = `hubguide-webchat:v1:${server}`;
    this.state = this.load();
  }

  load() {
    try {
      const raw = localStorage.getItem(this.key);
      const state = raw ? JSON.parse(raw) : null;
      if (state && typeof state.sessionId === "string" && Array.isArray(state.messages)) {
        return { draft: "", open: false, ...state };
      }
    } catch {
      // Storage blocked or corrupt: start a fresh conversation.
    }
    // The server gives the session id on the first connection.
    return { sessionId: "", messages: [], draft: "", open: false };
  }

  save() {
    this.state.messages = this.state.messages.slice(-MAX_MESSAGES);
    try {
      localStorage.setItem(this.key, JSON.stringify(this.state));
    } catch {
      // Storage full or blocked: the conversation still works, it just won't survive a reload.
    }
  }

  get sessionId() {
    return this.state.sessionId;
  }

  get messages() {
    return this.state.messages;
  }

  add(message) {
    const stored = { id: randomId(), ts: Date.now(), ...message };
    this.state.messages.push(stored);
    this.save();
    return stored;
  }

  update(id, changes) {
    const m = this.state.messages.find((x) => x.id === id);
    if (m) Object.assign(m, changes);
    this.save();
    return m;
  }

  pending() {
    return this.state.messages.filter((m) => m.author === "user" && m.status === "pending");
  }

  set(field, value) {
    this.state[field] = value;
    this.save();
  }

  reset() {
    this.state = { sessionId: "", messages: [], draft: "", open: this.state.open };
    this.save();
  }
}
