// Small enhancements; every page works without them.
document.querySelectorAll("[data-confirm]").forEach((button) => {
  button.addEventListener("click", (event) => {
    if (!window.confirm(button.dataset.confirm)) event.preventDefault();
  });
});
document.querySelectorAll("[data-select-all]").forEach((box) => {
  box.addEventListener("change", () => {
    box.closest("form").querySelectorAll("input[name=ids]").forEach((b) => { b.checked = box.checked; });
  });
});
const live = document.getElementById("live");
if (live) {
  let source = null;
  live.addEventListener("change", () => {
    if (source) { source.close(); source = null; }
    if (!live.checked) return;
    source = new EventSource(live.dataset.stream);
    const lines = document.getElementById("log-lines");
    source.onmessage = (message) => {
      const entry = JSON.parse(message.data);
      const line = document.createElement("span");
      line.textContent = `[${entry.time}] - ${entry.type}: ${entry.message}\n`;
      lines.appendChild(line);
      line.scrollIntoView({ block: "end" });
    };
  });
}
