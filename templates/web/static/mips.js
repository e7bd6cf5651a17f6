// MIPS score explainer: refuse files over the size limit before sending them; open the trace step a link points to.
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form[data-max-bytes]")) {
    form.addEventListener("submit", (event) => {
      const limit = Number(form.dataset.maxBytes);
      let total = 0;
      for (const input of form.querySelectorAll("input[type=file]")) {
        for (const file of input.files) total += file.size;
      }
      for (const area of form.querySelectorAll("textarea")) total += new Blob([area.value]).size;
      const message = form.querySelector(".client-error");
      if (total > limit && message) {
        event.preventDefault();
        message.textContent = `These files are ${(total / 1048576).toFixed(1)} MiB; the limit is ${(limit / 1048576).toFixed(1)} MiB. Send smaller files, one clinician at a time.`;
        message.hidden = false;
        message.setAttribute("tabindex", "-1");
        message.focus();
      }
    });
  }
});
