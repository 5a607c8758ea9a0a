// Embeds the assistant's web chat in any website:
//   <script src="https://YOUR-ASSISTANT/chat/embed.js" data-language="ne" async></script>
// A button opens the chat in a frame served by the assistant itself.
(function () {
  const script = document.currentScript;
  const origin = new URL(script.src).origin;
  const language = script.dataset.language || "";
  const button = document.createElement("button");
  button.type = "button";
  button.textContent = script.dataset.label || "💬";
  button.setAttribute("aria-label", "Chat");
  button.style.cssText = "position:fixed;bottom:1em;inset-inline-end:1em;z-index:99999;" +
    "font-size:1.6em;border-radius:50%;width:2.4em;height:2.4em;border:0;background:#0b5cad;color:#fff";
  const frame = document.createElement("iframe");
  frame.title = "Chat";
  frame.src = origin + "/chat" + (language ? "?language=" + encodeURIComponent(language) + "&start=1" : "");
  frame.style.cssText = "position:fixed;bottom:5em;inset-inline-end:1em;z-index:99999;" +
    "width:min(26em,calc(100vw - 2em));height:min(36em,calc(100vh - 7em));border:1px solid #ccc;" +
    "border-radius:.6em;background:#fff;display:none";
  button.addEventListener("click", () => {
    frame.style.display = frame.style.display === "none" ? "block" : "none";
  });
  document.body.appendChild(frame);
  document.body.appendChild(button);
})();
