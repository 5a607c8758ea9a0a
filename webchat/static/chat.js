// The web chat: Rasa's socket.io channel (events user_uttered / bot_uttered, see
// bot/credentials.yml). The conversation's language goes with every message as
// metadata.language. In kiosk mode, "New conversation" and an idle timer clear the
// screen and start a new session, so the next person sees nothing of the previous one.
(function () {
  const config = JSON.parse(document.getElementById("config").textContent);
  const texts = JSON.parse(document.getElementById("texts").textContent);
  const params = new URLSearchParams(window.location.search);
  const language = params.get("language");
  const conversation = document.getElementById("conversation");
  const status = document.getElementById("status");
  const form = document.getElementById("ask");
  const input = document.getElementById("message");
  const label = language && config.sourceLabels[language];
  let socket = null;
  let sessionId = null;
  let idleTimer = null;

  function newSessionId() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function session() {
    if (config.kiosk) return sessionId || (sessionId = newSessionId());
    let stored = window.localStorage.getItem("assistant-session");
    if (!stored) {
      stored = newSessionId();
      window.localStorage.setItem("assistant-session", stored);
    }
    return (sessionId = stored);
  }

  function show(message) {
    status.textContent = message || "";
    status.hidden = !message;
  }

  // Text with links made clickable, built from text nodes only (never from HTML).
  function linked(element, text) {
    const parts = text.split(/(https?:\/\/[^\s)]+)/g);
    for (const part of parts) {
      if (/^https?:\/\//.test(part)) {
        const a = document.createElement("a");
        a.href = part;
        a.textContent = part;
        a.target = "_blank";
        a.rel = "noopener";
        element.appendChild(a);
      } else if (part) element.appendChild(document.createTextNode(part));
    }
  }

  function bubble(kind, text) {
    const element = document.createElement("div");
    element.className = "bubble " + kind;
    element.dir = "auto";
    for (const paragraph of (text || "").split(/\n\n+/)) {
      const p = document.createElement("p");
      const bare = paragraph.replace(/\u200f/g, "").trim();
      if (kind === "bot" && label && bare.startsWith(label)) p.className = "source";
      linked(p, paragraph);
      element.appendChild(p);
    }
    conversation.appendChild(element);
    element.scrollIntoView({ block: "end" });
    return element;
  }

  function choices(buttons) {
    const box = document.createElement("div");
    box.className = "choices";
    for (const choice of buttons) {
      const button = document.createElement("button");
      button.type = "button";
      button.dir = "auto";
      button.textContent = choice.title;
      button.addEventListener("click", () => send(choice.payload, choice.title));
      box.appendChild(button);
    }
    conversation.appendChild(box);
    box.scrollIntoView({ block: "end" });
  }

  function send(message, shown) {
    if (!socket || !message) return;
    if (shown !== null) bubble("user", shown || message);
    socket.emit(config.userEvent || "user_uttered", {
      message, session_id: session(), metadata: { language },
    });
    restartIdle();
  }

  function connect() {
    const url = config.socketUrl || `${location.protocol}//${location.hostname}:${config.rasaPort}`;
    socket = window.io(url, { path: "/socket.io", transports: ["websocket"] });
    show(texts.connecting);
    socket.on("connect", () => {
      socket.emit("session_request", { session_id: session() });
    });
    socket.on("session_confirm", () => {
      show("");
      if (params.get("start") === "1" && !conversation.childElementCount) send("/greet", null);
    });
    socket.on("connect_error", () => show(texts.offline));
    socket.on("bot_uttered", (data) => {
      // Rasa's socket.io channel sends each paragraph as its own message: an answer's
      // source line joins the answer it belongs to.
      const last = conversation.lastElementChild;
      const bare = (data.text || "").replace(/\u200f/g, "").trim();
      if (label && bare.startsWith(label) && last && last.classList.contains("bot")) {
        const p = document.createElement("p");
        p.className = "source";
        linked(p, data.text);
        last.appendChild(p);
      } else if (data.text) bubble("bot", data.text);
      const buttons = data.quick_replies || data.buttons || [];
      if (buttons.length) choices(buttons);
    });
  }

  function reset(cleared) {
    conversation.replaceChildren();
    if (socket) socket.disconnect();
    sessionId = null;
    window.localStorage.removeItem("assistant-session");
    window.location.assign("/chat" + (config.kiosk ? "?kiosk=1" : "") + (cleared ? (config.kiosk ? "&" : "?") + "cleared=1" : ""));
  }

  function restartIdle() {
    if (!config.kiosk) return;
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => reset(true), config.idleSeconds * 1000);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const message = input.value.trim();
    if (!message) return;
    input.value = "";
    send(message);
  });
  document.getElementById("reset").addEventListener("click", () => reset(false));
  for (const kind of ["keydown", "pointerdown"]) document.addEventListener(kind, restartIdle);
  if (params.get("cleared") === "1") show(texts.cleared);
  form.hidden = !language;
  if (language) connect();
  restartIdle();
})();
