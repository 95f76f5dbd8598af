// Intake of returns: a hand-held scanner types a code and presses Enter. Enter moves on to
// the next field instead of sending a half-filled form; the Save button sends it.
const form = document.querySelector("[data-enter-next]");
if (form) {
  form.addEventListener("keydown", (event) => {
    const field = event.target;
    if (event.key !== "Enter" || field.tagName === "BUTTON" || field.type === "file") return;
    event.preventDefault();
    const fields = [...form.querySelectorAll("input:not([type=hidden]), select, button")]
      .filter((one) => !one.disabled);
    const next = fields[fields.indexOf(field) + 1];
    if (next) next.focus();
  });
}
