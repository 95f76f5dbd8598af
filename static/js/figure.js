// Worker screens, harness steps only (loaded where a step shows a connector's face): the
// hand-held scanner types a wire's label and presses Enter; that wire's cavity lights up
// and the screen says which cavity it is (read out by screen readers through role=status).
const figure = document.querySelector("[data-figure]");
if (figure && !document.querySelector("[data-scan-form]")) {
  let typed = "", last = 0;
  document.addEventListener("keydown", (e) => {
    if (Date.now() - last > 300) typed = "";
    last = Date.now();
    if (e.key.length === 1) { typed += e.key; return; }
    if (e.key !== "Enter" || !typed.trim()) return;
    e.preventDefault();
    const hit = figure.querySelector(`[data-wire="${CSS.escape(typed.trim().toUpperCase())}"]`);
    figure.querySelectorAll(".cavity").forEach((c) => {
      c.classList.toggle("cavity-target", c === hit);
      c.querySelector(".cavity-ring").setAttribute("visibility", c === hit ? "visible" : "hidden");
    });
    figure.querySelector("[data-figure-message]").textContent =
      hit ? hit.querySelector("title").textContent : figure.dataset.msgUnknown;
    typed = "";
  });
}
