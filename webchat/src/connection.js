// The socket.io conversation with Rasa's `socketio` channel (session_persistence: true):
// on every (re)connection ask for our session with `session_request`, wait for
// `session_confirm`, then send `user_uttered` {message, session_id, metadata}.
// Replies arrive as `bot_uttered`. The server hands out the session id (signed, so that no
// page can join another visitor's conversation): a new visitor asks with an empty id, and the
// confirmed id is the one to keep.
import { io } from "socket.io-client";

export class Connection {
  /**
   * @param {string} server  Rasa base URL, e.g. http://127.0.0.1:5005
   * @param {() => string} sessionId  current session id ("" until the server gave one)
   * @param {object} handlers  onReady(), onSession(id), onOffline(), onConnecting(),
   *   onBotMessage(data)
   */
  constructor(server, sessionId, handlers) {
    this.sessionId = sessionId;
    this.handlers = handlers;
    this.ready = false;
    this.requested = null;
    this.socket = io(server, {
      path: "/socket.io",
      autoConnect: false,
      reconnection: true,
      reconnectionDelay: 1000,
      reconnectionDelayMax: 5000,
      randomizationFactor: 0.3,
      timeout: 10000,
    });
    this.socket.on("connect", () => {
      this.ready = false;
      this.requested = this.sessionId();
      this.socket.emit("session_request", { session_id: this.requested });
    });
    this.socket.on("session_confirm", (confirmed) => {
      const id = typeof confirmed === "string" ? confirmed : confirmed && confirmed.session_id;
      if (!id || this.requested !== this.sessionId()) return; // answer to an older request
      if (id !== this.requested) this.handlers.onSession(id);
      this.ready = true;
      this.handlers.onReady();
    });
    this.socket.on("bot_uttered", (data) => this.handlers.onBotMessage(data || {}));
    this.socket.on("connect_error", () => this.offline());
    this.socket.on("disconnect", (reason) => {
      this.offline();
      // The server closed the socket on purpose: socket.io will not retry by itself.
      if (reason === "io server disconnect") setTimeout(() => this.socket.connect(), 1000);
    });
  }

  offline() {
    this.ready = false;
    this.handlers.onOffline();
  }

  start() {
    if (!this.socket.connected && !this.socket.active) {
      this.handlers.onConnecting();
      this.socket.connect();
    }
  }

  /** Re-announces the (new) session id on a fresh connection. */
  restart() {
    this.ready = false;
    this.socket.disconnect();
    this.handlers.onConnecting();
    this.socket.connect();
  }

  /** Sends one message; false when not connected (the caller keeps it pending). */
  send(text, metadata) {
    if (!this.ready || !this.socket.connected) return false;
    this.socket.emit("user_uttered", {
      message: text,
      session_id: this.sessionId(),
      metadata,
    });
    return true;
  }
}
