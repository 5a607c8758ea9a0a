// Forms marked data-api send JSON to the staff API with the session's CSRF token. On
// success the page moves on (data-next); on a refusal the message is shown and what the
// user typed stays in the form, so nothing is lost.
(function () {
  const csrf = document.querySelector('meta[name="csrf-token"]');
  function value(form) {
    const data = {};
    for (const field of form.elements) {
      if (!field.name || field.disabled) continue;
      const path = field.name.split(".");
      let target = data;
      for (const part of path.slice(0, -1)) target = target[part] = target[part] || {};
      const last = path[path.length - 1];
      if (field.dataset.type === "int") target[last] = parseInt(field.value, 10);
      else if (field.dataset.type === "lines")
        target[last] = field.value.split("\n").map((l) => l.trim()).filter((l) => l);
      else if (field.dataset.type === "ints")
        target[last] = field.value.split(",").map((n) => parseInt(n, 10));
      else target[last] = field.value;
    }
    return data;
  }
  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (!form.dataset.api) return;
    event.preventDefault();
    const box = form.querySelector(".form-error");
    if (box) box.hidden = true;
    const headers = { "Content-Type": "application/json" };
    if (csrf) headers["X-CSRF-Token"] = csrf.content;
    let reply;
    try {
      reply = await fetch(form.dataset.api, {
        method: form.dataset.method || "POST", headers, credentials: "same-origin",
        body: JSON.stringify(value(form)),
      });
    } catch (error) {
      reply = null;
    }
    if (reply && reply.ok) {
      window.location.assign(form.dataset.next || window.location.href);
      return;
    }
    let message = form.dataset.failed || "Not saved.";
    if (reply) { try { message = (await reply.json()).error || message; } catch (e) {} }
    if (box) { box.textContent = message; box.hidden = false; box.focus(); }
  });
})();
