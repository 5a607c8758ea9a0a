// Forms marked data-api send JSON to the staff API with the session's CSRF token. On
// success the page moves on (data-next); on a refusal the message is shown and what the
// user typed stays in the form, so nothing is lost.
(function () {
  const csrf = document.querySelector('meta[name="csrf-token"]');
  // When a request fails without an answer (no network), in the interface's language.
  const failed = (document.querySelector('meta[name="failed-text"]') || {}).content || "";
  function value(form) {
    const data = {};
    for (const field of form.elements) {
      if (!field.name || field.disabled) continue;
      const path = field.name.split(".");
      let target = data;
      for (const part of path.slice(0, -1)) target = target[part] = target[part] || {};
      const last = path[path.length - 1];
      if (field.type === "file" || field.dataset.skip !== undefined) continue;
      if (field.value === "" && field.dataset.optional !== undefined) continue;
      if (field.dataset.type === "int") target[last] = parseInt(field.value, 10);
      else if (field.dataset.type === "number") target[last] = parseFloat(field.value);
      else if (field.dataset.type === "lines")
        target[last] = field.value.split("\n").map((l) => l.trim()).filter((l) => l);
      else if (field.dataset.type === "ints")
        target[last] = field.value.split(",").map((n) => parseInt(n, 10));
      else target[last] = field.value;
    }
    return data;
  }
  // Forms marked data-upload send the chosen file as the request body; the button
  // pressed may name another address (data-upload on the button) and where to show the
  // answer (data-result) instead of moving on.
  async function upload(form, submitter) {
    const url = ((submitter && submitter.dataset.upload) || form.dataset.upload).replace(
      "{language}", form.elements.language ? form.elements.language.value : "");
    const file = form.querySelector("input[type=file]").files[0];
    const box = form.querySelector(".form-error");
    const result = document.querySelector((submitter && submitter.dataset.result) || "#none");
    if (box) box.hidden = true;
    if (result) result.hidden = true;
    if (!file) return;
    const headers = { "X-File-Name": file.name, "Content-Type": "application/octet-stream" };
    if (csrf) headers["X-CSRF-Token"] = csrf.content;
    let reply = null;
    try {
      reply = await fetch(url, { method: "POST", headers, credentials: "same-origin", body: file });
    } catch (error) {}
    let answer = {};
    if (reply) { try { answer = await reply.json(); } catch (e) {} }
    if (reply && reply.ok) {
      if (result) { result.textContent = JSON.stringify(answer, null, 2); result.hidden = false; }
      else window.location.assign(form.dataset.next || window.location.href);
      return;
    }
    if (box) { box.textContent = answer.error || form.dataset.failed || failed; box.hidden = false; }
  }
  document.addEventListener("submit", async (event) => {
    const form = event.target;
    if (form.dataset.upload) { event.preventDefault(); await upload(form, event.submitter); return; }
    if (!form.dataset.api) return;
    event.preventDefault();
    const box = form.querySelector(".form-error");
    if (box) box.hidden = true;
    const headers = { "Content-Type": "application/json" };
    if (csrf) headers["X-CSRF-Token"] = csrf.content;
    // An address with {entry} takes the entry chosen in the form.
    const address = form.dataset.api.replace(
      "{entry}", form.elements.entry ? encodeURIComponent(form.elements.entry.value) : "");
    let reply;
    try {
      reply = await fetch(address, {
        method: form.dataset.method || "POST", headers, credentials: "same-origin",
        body: JSON.stringify(value(form)),
      });
    } catch (error) {
      reply = null;
    }
    if (reply && reply.ok) {
      const result = form.dataset.result && document.querySelector(form.dataset.result);
      if (result) {
        result.textContent = JSON.stringify(await reply.json(), null, 2);
        result.hidden = false;
      } else window.location.assign(form.dataset.next || window.location.href);
      return;
    }
    let message = form.dataset.failed || failed;
    if (reply) { try { message = (await reply.json()).error || message; } catch (e) {} }
    if (box) { box.textContent = message; box.hidden = false; box.focus(); }
  });
})();
