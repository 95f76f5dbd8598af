// Worker screens on a station tablet. The pages work as plain forms; this adds what needs a
// script: a sound on every tap, the speaker (recorded clip, else Polish speech synthesis),
// counting without reloading, the keypad, the timer, badge and label scanning, the help
// call's state, and a gentle reminder after a while without a tap.

import { barcodeDetector, frameToServer } from "./camera.js";
import { freshTapIds, startOffline } from "./offline.js";

const body = document.body;
const csrf = document.querySelector('meta[name="csrf-token"]').content;
freshTapIds();
startOffline(body);

// ---------------------------------------------------------------- ids and sound

// A new id for every tap, so a double tap or a resend is stored once. crypto.randomUUID
// needs HTTPS; getRandomValues works on the plain-HTTP workshop network too.
function tapId() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

let audio = null;
function tone(frequency, seconds, type = "sine", volume = 0.12) {
  try {
    audio = audio || new AudioContext();
    // A kiosk's first page may start the sound suspended until a tap.
    if (audio.state === "suspended") audio.resume();
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.type = type;
    oscillator.frequency.value = frequency;
    gain.gain.value = volume;
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start();
    oscillator.stop(audio.currentTime + seconds);
  } catch (error) {
    // No sound on this tablet: the screen still changes at once.
  }
}
const sounds = {
  tap: () => tone(660, 0.07),
  good: () => { tone(660, 0.1); setTimeout(() => tone(990, 0.14), 110); },
  problem: () => tone(220, 0.3, "triangle", 0.15),
  soft: () => { tone(520, 0.25, "sine", 0.06); setTimeout(() => tone(660, 0.3, "sine", 0.06), 300); },
};

// Every tap answers at once: a short sound and a visible change of the button.
document.addEventListener("pointerdown", (event) => {
  const target = event.target.closest("button, a");
  if (!target || target.disabled) return;
  target.classList.add("tapped");
  setTimeout(() => target.classList.remove("tapped"), 180);
  sounds.tap();
});

// A form is sent once; a second tap while it is on its way does nothing.
document.querySelectorAll("form").forEach((form) => {
  form.addEventListener("submit", (event) => {
    if (form.dataset.sending) { event.preventDefault(); return; }
    form.dataset.sending = "1";
  });
});
window.addEventListener("pageshow", () => {
  document.querySelectorAll("form").forEach((form) => { delete form.dataset.sending; });
});

// ---------------------------------------------------------------- speaker

let playing = null;
function speak(button) {
  if (playing) { playing.pause(); playing = null; }
  if (window.speechSynthesis) speechSynthesis.cancel();
  if (button.dataset.audio) {
    playing = new Audio(button.dataset.audio);
    return playing.play().catch(() => speakText(button.dataset.speak));
  }
  return speakText(button.dataset.speak);
}
function speakText(text) {
  if (!window.speechSynthesis || !text) return Promise.resolve();
  const utterance = new SpeechSynthesisUtterance(text);
  utterance.lang = "pl-PL";
  // Prefer a voice on the tablet itself: remote voices fail without internet.
  const voice = speechSynthesis.getVoices().find((v) => v.lang.startsWith("pl") && v.localService);
  if (voice) utterance.voice = voice;
  utterance.rate = 0.9;
  speechSynthesis.speak(utterance);
  return Promise.resolve();
}
document.querySelectorAll("[data-speak]").forEach((button) => {
  button.addEventListener("click", () => speak(button));
});
if (body.dataset.autoplay === "1") {
  const first = document.querySelector("[data-speak]");
  if (first) window.addEventListener("load", () => autoplay(first));
}
// Browsers refuse sound on a page nobody has touched yet (a kiosk may allow it, see the
// README): then the speaker button pulses, so one tap plays it.
function autoplay(button) {
  const untouched = navigator.userActivation && !navigator.userActivation.hasBeenActive;
  if (untouched) {
    button.classList.add("speaker-wants-tap");
    button.addEventListener("click", () => button.classList.remove("speaker-wants-tap"),
                            { once: true });
  }
  speak(button);
}

// ---------------------------------------------------------------- film

// A step's film plays in the photo's place when the worker taps Watch, once, then the
// photo comes back (the worker chooses this prompt level; nothing plays by itself).
document.querySelectorAll("[data-film]").forEach((button) => {
  const step = button.closest(".step");
  const video = step.querySelector("[data-step-video]");
  const photo = step.querySelector("img.step-photo");
  const label = button.querySelector("span");
  function stop() {
    video.pause();
    video.hidden = true;
    if (photo) photo.hidden = false;
    label.textContent = button.dataset.textPlay;
  }
  button.addEventListener("click", () => {
    if (!video.hidden) { stop(); return; }
    if (photo) photo.hidden = true;
    video.hidden = false;
    label.textContent = button.dataset.textStop;
    video.currentTime = 0;
    video.play().catch(stop);
  });
  video.addEventListener("ended", stop);
});

// ---------------------------------------------------------------- help

const helpState = document.getElementById("help-state");
let helpTimer = null;
function showHelp(status, message) {
  if (!helpState) return;
  helpState.dataset.status = status;
  const text = helpState.querySelector(".help-state-text") || helpState;
  if (status === "none" || status === "closed") {
    helpState.hidden = true;
    text.textContent = "";
    return;
  }
  text.textContent = message;
  helpState.hidden = false;
}
async function pollHelp() {
  try {
    const response = await fetch(body.dataset.helpStatusUrl, { credentials: "same-origin" });
    const answer = await response.json();
    const before = helpState ? helpState.dataset.status : "none";
    showHelp(answer.status, answer.message);
    if (answer.status === "acknowledged" && before !== "acknowledged") sounds.good();
    if (answer.status === "open" || answer.status === "acknowledged") {
      helpTimer = setTimeout(pollHelp, 5000);
    }
  } catch (error) {
    helpTimer = setTimeout(pollHelp, 10000);
  }
}
const helpForm = document.querySelector(".help-form");
if (helpForm) {
  helpForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const stepField = helpForm.querySelector('[name="step_id"]');
    try {
      const response = await fetch(body.dataset.helpUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify({
          client_id: tapId(),
          step_id: stepField ? Number(stepField.value) : null,
        }),
      });
      const answer = await response.json();
      if (!response.ok) throw new Error(answer.message);
      showHelp(answer.status, answer.message);
      sounds.good();
      clearTimeout(helpTimer);
      helpTimer = setTimeout(pollHelp, 5000);
    } catch (error) {
      // An unsent call must say so, and point to the bell on the wall.
      showHelp("failed", body.dataset.msgHelpFailed);
      sounds.problem();
    }
    delete helpForm.dataset.sending;
  });
}
if (helpState && ["open", "acknowledged"].includes(helpState.dataset.status)) {
  helpTimer = setTimeout(pollHelp, 5000);
}

// ---------------------------------------------------------------- counter

const counter = document.querySelector("[data-counter]");
if (counter) {
  const shown = counter.querySelector("[data-count]");
  const blocks = counter.querySelector("[data-blocks]");
  const message = counter.querySelector("[data-count-message]");
  let queue = Promise.resolve();

  function drawBlocks(filled, total) {
    if (blocks.children.length !== total) {
      blocks.replaceChildren(...Array.from({ length: total }, () => {
        const block = document.createElement("span");
        block.className = "block";
        return block;
      }));
    }
    [...blocks.children].forEach((block, index) => block.classList.toggle("filled", index < filled));
  }

  let waiting = 0;
  async function send(kind, value) {
    let response;
    let answer = {};
    try {
      response = await fetch(body.dataset.eventsUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: JSON.stringify({
          client_id: tapId(), kind, value, step_id: Number(counter.dataset.stepId),
          batch_id: Number(counter.dataset.batchId),
        }),
      });
      answer = await response.json();
    } catch (error) {
      // No connection, or a page that is not our answer: say it simply.
      throw new Error(counter.dataset.msgFailed);
    }
    if (answer.reload) window.location.assign(answer.reload);
    if (!response.ok) throw new Error(answer.message || counter.dataset.msgFailed);
    return answer;
  }

  // This screen's taps, newest last: Take back reverses the newest one (a +1 or a -1). The
  // server works out the same from what it stored, and its answer sets the true figure.
  const taps = [];
  counter.querySelectorAll("[data-count-tap]").forEach((button) => {
    button.addEventListener("click", () => {
      const tap = button.dataset.countTap;
      const kind = tap === "undo" ? "undo" : "count";
      const value = tap === "undo" ? -(taps.length ? taps.pop() : 1) : Number(tap);
      if (kind === "count") taps.push(value);
      // Show the change at once; the server's answer then sets the true figure.
      const count = Math.max(0, Number(shown.textContent) + value);
      const target = Number(counter.querySelector("[data-target]").textContent);
      shown.textContent = String(count);
      drawBlocks(Math.round((Math.min(count, target) * blocks.children.length) / target),
                 blocks.children.length);
      message.textContent = "";
      if ("preview" in body.dataset) return;  // the author's preview: nothing is sent
      waiting += 1;
      queue = queue.then(() => send(kind, value)).then((answer) => {
        waiting -= 1;
        // No network: the tap waits on the tablet and the screen keeps its own figure.
        if (answer.queued) return;
        // The server's figure, once no later tap is still on its way (no flicker).
        if (waiting === 0) {
          shown.textContent = String(answer.count);
          drawBlocks(answer.filled, answer.blocks);
        }
        if (answer.count >= answer.target && value > 0) sounds.good();
      }).catch((error) => {
        waiting -= 1;
        // The tap did not count: forget it (or give back the tap an undo would have taken).
        if (kind === "count") taps.splice(taps.lastIndexOf(value), 1); else taps.push(-value);
        // Take the early change back: the screen shows only what was saved.
        const back = Math.max(0, Number(shown.textContent) - value);
        shown.textContent = String(back);
        drawBlocks(Math.round((Math.min(back, target) * blocks.children.length) / target),
                   blocks.children.length);
        message.textContent = error.message;
        sounds.problem();
        speakText(error.message);
      });
    });
  });
}

// ---------------------------------------------------------------- keypad

const keypad = document.querySelector("[data-keypad]");
if (keypad) {
  const display = keypad.querySelector("[data-keypad-display]");
  const value = keypad.querySelector("[data-keypad-value]");
  const submit = document.querySelector("[data-keypad-submit]");
  let typed = "";
  function show() {
    display.textContent = typed || "\u00a0";
    value.value = typed;
    if (submit) submit.disabled = typed === "" || typed === ",";
  }
  keypad.querySelectorAll("[data-key]").forEach((key) => {
    key.addEventListener("click", () => {
      const k = key.dataset.key;
      if (k === "erase") typed = typed.slice(0, -1);
      else if (k === ",") { if (!typed.includes(",")) typed = (typed || "0") + ","; }
      else if (typed.replace(",", "").length < 7) typed = typed === "0" ? k : typed + k;
      show();
    });
  });
  show();
}

// ---------------------------------------------------------------- timer

const timer = document.querySelector("[data-timer]");
if (timer) {
  const total = Number(timer.dataset.minutes) * 60 * 1000;
  const left = timer.querySelector("[data-timer-left]");
  const fill = timer.querySelector("[data-timer-fill]");
  const start = timer.querySelector("[data-timer-start]");
  const message = timer.querySelector("[data-timer-message]");
  const done = document.querySelector(".done-button");
  let tick = null;
  function draw() {
    const began = Number(localStorage.getItem(timer.dataset.key));
    const passed = began ? Date.now() - began : 0;
    const remaining = Math.max(0, total - passed);
    const seconds = Math.ceil(remaining / 1000);
    left.textContent = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
    fill.style.width = `${Math.min(100, (100 * passed) / total)}%`;
    start.hidden = Boolean(began);
    if (began && remaining > 0) timer.dataset.timerRunning = "1";
    else delete timer.dataset.timerRunning;
    if (began && remaining === 0) {
      clearInterval(tick);
      if (done.disabled) sounds.good();
      done.disabled = false;
      message.textContent = timer.dataset.msgOver;
    } else {
      done.disabled = true;
    }
  }
  start.addEventListener("click", () => {
    localStorage.setItem(timer.dataset.key, String(Date.now()));
    draw();
    tick = setInterval(draw, 1000);
  });
  // The next round starts a fresh clock.
  document.getElementById("step-form").addEventListener("submit", () => {
    localStorage.removeItem(timer.dataset.key);
  });
  draw();
  if (localStorage.getItem(timer.dataset.key)) tick = setInterval(draw, 1000);
}

// ---------------------------------------------------------------- scanning

const scanForm = document.querySelector("[data-scan-form]");
if (scanForm) {
  const form = scanForm.closest("form");
  const answer = scanForm.querySelector("[data-scan-answer]");
  function submitScan(text) {
    if (!text.trim() || form.dataset.sending) return;
    answer.value = text.trim();
    sounds.tap();
    form.requestSubmit();
  }
  // A hand-held scanner types the code and presses Enter: collect it from the keyboard.
  let typed = "";
  let last = 0;
  document.addEventListener("keydown", (event) => {
    const now = Date.now();
    if (now - last > 300) typed = "";
    last = now;
    if (event.key === "Enter") {
      event.preventDefault();
      submitScan(typed);
      typed = "";
    } else if (event.key.length === 1) {
      typed += event.key;
    }
  });

  const camera = scanForm.querySelector("[data-camera]");
  const video = scanForm.querySelector("[data-camera-view]");
  let stream = null;
  function stop() {
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    video.hidden = true;
    camera.querySelector("span").textContent = camera.dataset.start;
  }
  async function loop(reader) {
    while (stream) {
      if (video.readyState >= 2) {
        try {
          let text = null;
          if (reader) {
            const codes = await reader.detect(video);
            text = codes.length ? codes[0].rawValue : null;
          } else {
            text = await frameToServer(video, camera.dataset.frameUrl, csrf);
          }
          if (text) { stop(); submitScan(text); return; }
        } catch (error) {
          // A frame that cannot be read is skipped.
        }
      }
      await new Promise((done) => setTimeout(done, reader ? 200 : 700));
    }
  }
  if (camera && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    camera.hidden = false;
    camera.addEventListener("click", async () => {
      if (stream) { stop(); return; }
      try {
        stream = await navigator.mediaDevices.getUserMedia({
          video: { facingMode: "environment" }, audio: false,
        });
      } catch (error) {
        camera.querySelector("span").textContent = camera.dataset.error;
        return;
      }
      video.srcObject = stream;
      video.hidden = false;
      await video.play();
      camera.querySelector("span").textContent = camera.dataset.stop;
      loop(await barcodeDetector());
    });
  }
}

// ---------------------------------------------------------------- the gentle reminder

const reminderMinutes = Number(body.dataset.idleReminder || 0);
if (reminderMinutes > 0) {
  const reminder = document.createElement("p");
  reminder.className = "reminder";
  reminder.setAttribute("role", "status");
  reminder.hidden = true;
  reminder.textContent = body.dataset.msgReminder || "";
  document.body.append(reminder);
  let idle = null;
  function arm() {
    clearTimeout(idle);
    reminder.hidden = true;
    idle = setTimeout(() => {
      // Waiting for the clock is doing the step: no reminder while it runs.
      if (document.querySelector("[data-timer-running]")) { arm(); return; }
      reminder.hidden = false;
      sounds.soft();
      speakText(reminder.textContent);
    }, reminderMinutes * 60 * 1000);
  }
  document.addEventListener("pointerdown", arm);
  document.addEventListener("keydown", arm);
  arm();
}

// ---------------------------------------------------------------- problems are said aloud

// A refusal shown after a tap (a wrong badge, a number out of range) is read out as well,
// with its own sound: the worker may not read it.
const problem = document.querySelector(".message-problem");
if (problem) {
  window.addEventListener("load", () => {
    sounds.problem();
    speakText(problem.textContent.trim());
  });
}
