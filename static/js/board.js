// Live board: fetch the board's figures every few seconds and redraw the help calls and
// the stations in place (no page reload); a new help call plays a short chime.

const list = document.getElementById("help-call-list");
const noCalls = document.getElementById("no-calls");
const panel = document.getElementById("help-calls");
const stations = document.getElementById("board-stations");
const text = document.getElementById("board-text").dataset;
const csrf = document.querySelector('meta[name="csrf-token"]').content;
let seen = new Set([...list.querySelectorAll("li")].map((li) => li.dataset.id));
let audio = null;
const soundButton = document.getElementById("board-sound");

// Browsers keep an AudioContext silent until the page has been touched: the first tap or
// key anywhere (or the sound button) wakes it, and the button says that the sound is on.
function wakeSound() {
  try {
    audio = audio || new AudioContext();
    if (audio.state === "suspended") audio.resume();
  } catch (error) {
    return;
  }
  soundButton.setAttribute("aria-pressed", "true");
  soundButton.textContent = soundButton.dataset.on;
}
["pointerdown", "keydown"].forEach((name) => {
  document.addEventListener(name, wakeSound, { once: true });
});
soundButton.addEventListener("click", () => { wakeSound(); chime(); });

function chime() {
  try {
    audio = audio || new AudioContext();
    if (audio.state === "suspended") audio.resume();
    [[0, 660], [0.18, 880]].forEach(([delay, frequency]) => {
      const oscillator = audio.createOscillator();
      const gain = audio.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.value = 0.15;
      oscillator.connect(gain).connect(audio.destination);
      oscillator.start(audio.currentTime + delay);
      oscillator.stop(audio.currentTime + delay + 0.15);
    });
  } catch (error) {
    // No sound here: the red panel still shows the call.
  }
}

function element(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  children.forEach((child) => node.append(child));
  return node;
}

function actionForm(action, label, primary) {
  return element("form", { method: "post", action },
    element("input", { type: "hidden", name: "csrf_token", value: csrf }),
    element("button", { type: "submit", className: primary ? "button-primary" : "button-secondary",
                        textContent: label }));
}

function drawCalls(calls) {
  list.replaceChildren(...calls.map((call) => {
    const item = element("li", { className: `help-call help-${call.status}` },
      element("strong", { textContent: call.worker }),
      ` · ${[call.station, call.batch, call.step ? `${text.step} ${call.step}` : ""]
        .filter(Boolean).join(" · ")} · ${call.since} `);
    item.dataset.id = String(call.id);
    if (call.status === "acknowledged") {
      item.append(element("span", { className: "status status-awaiting_qc",
                                    textContent: text.onTheWay }));
    }
    const actions = element("span", { className: "help-actions" });
    if (call.status === "open") actions.append(actionForm(call.acknowledge, text.coming, true));
    actions.append(actionForm(call.close, text.helped, false));
    item.append(actions);
    return item;
  }));
  noCalls.hidden = calls.length > 0;
  panel.classList.toggle("board-calls-open", calls.length > 0);
}

function drawStations(rows) {
  stations.replaceChildren(...rows.map((row) => {
    const workers = element("ul", { className: "board-workers" });
    if (!row.workers.length) workers.append(element("li", { textContent: text.nobody }));
    row.workers.forEach((worker) => {
      const item = element("li", { className: worker.idle ? "board-idle" : "" },
        element("strong", { textContent: worker.name }));
      if (worker.batch) {
        const step = worker.step ? ` · ${text.step} ${worker.step}` : "";
        item.append(` · ${worker.batch}${step} `,
          element("progress", { max: worker.planned_value, value: worker.good_value }),
          ` ${worker.good} / ${worker.planned}`);
        item.querySelector("progress").setAttribute("aria-label", worker.name);
      } else {
        item.append(` · ${text.noTask}`);
      }
      if (worker.idle) {
        item.append(" ", element("span", { className: "status status-on_hold",
                                           textContent: text.idle }));
      }
      workers.append(item);
    });
    return element("section", { className: "panel board-station" },
      element("h2", { textContent: row.name }), workers);
  }));
}

async function refresh() {
  try {
    const response = await fetch("/board/data.json", { credentials: "same-origin" });
    if (!response.ok) return;
    const data = await response.json();
    const ids = new Set(data.calls.map((call) => String(call.id)));
    if ([...ids].some((id) => !seen.has(id))) chime();
    seen = ids;
    drawCalls(data.calls);
    drawStations(data.stations);
  } catch (error) {
    // Offline for a moment: the next tick tries again.
  }
}

setInterval(refresh, 5000);
