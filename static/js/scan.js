// Scan screen: keyboard-wedge scanners, the camera (BarcodeDetector, or frames decoded on the
// server), and a "many in a row" mode with a visible and audible accept or refuse per scan.

import { barcodeDetector, frameToServer } from "./camera.js";

const form = document.getElementById("scan-form");
const input = document.getElementById("scan-input");
const continuous = document.getElementById("continuous");
const station = document.getElementById("station");
const stationValue = document.getElementById("scan-station-value");
const cameraButton = document.getElementById("camera-toggle");
const video = document.getElementById("camera");
const cameraStatus = document.getElementById("camera-status");
const log = document.getElementById("scan-log");
const template = document.getElementById("result-template");
const text = document.getElementById("scan-messages").dataset;
const csrf = document.querySelector('meta[name="csrf-token"]').content;

let audio = null;
let stream = null;
let busy = false;

// Remember the station name and the mode on this tablet.
station.value = localStorage.getItem("shopfloor.station") || "";
stationValue.value = station.value;
continuous.checked = localStorage.getItem("shopfloor.continuous") === "1";
station.addEventListener("change", () => {
  localStorage.setItem("shopfloor.station", station.value);
  stationValue.value = station.value;
});
continuous.addEventListener("change", () => {
  localStorage.setItem("shopfloor.continuous", continuous.checked ? "1" : "0");
  input.focus();
});

// Keep the focus in the field, so a scanner's keystrokes always land there.
function refocus() {
  const active = document.activeElement;
  const typing = active && ["INPUT", "SELECT", "TEXTAREA", "BUTTON", "A"].includes(active.tagName);
  if (!typing || active === document.body) input.focus();
}
input.addEventListener("blur", () => setTimeout(refocus, 400));
document.addEventListener("visibilitychange", () => { if (!document.hidden) input.focus(); });

function beep(accepted) {
  try {
    audio = audio || new AudioContext();
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.type = accepted ? "sine" : "square";
    oscillator.frequency.value = accepted ? 880 : 220;
    gain.gain.value = 0.15;
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start();
    oscillator.stop(audio.currentTime + (accepted ? 0.12 : 0.35));
  } catch (error) {
    // No sound on this device: the coloured mark still shows the result.
  }
}

// Each scan takes its place in the log at once, in the order scanned; the answer fills it in
// when it comes (answers to a fast burst may come back in another order).
function reserveInLog(raw) {
  const line = template.content.firstElementChild.cloneNode(true);
  line.classList.add("scan-pending");
  line.querySelector(".scan-mark").textContent = "…";
  line.querySelector(".scan-text").textContent = `${text.pending}: ${raw}`;
  log.prepend(line);
  return line;
}

function showInLog(line, accepted, message) {
  line.classList.remove("scan-pending");
  line.classList.add(accepted ? "scan-accepted" : "scan-refused");
  line.querySelector(".scan-mark").textContent = accepted ? "✔" : "✖";
  line.querySelector(".scan-text").textContent =
    `${accepted ? text.accepted : text.refused}: ${message}`;
  beep(accepted);
}

async function resolveInRow(raw) {
  const line = reserveInLog(raw);
  try {
    const response = await fetch("/api/v1/scans/", {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ raw, station: station.value }),
      credentials: "same-origin",
    });
    const body = await response.json();
    if (response.ok) {
      const link = body.url ? ` (${body.url})` : "";
      showInLog(line, true, `${body.code || raw}${link}`);
    } else {
      showInLog(line, false, (body.error && body.error.message) || raw);
    }
  } catch (error) {
    showInLog(line, false, text.networkError);
  }
}

function submitScan(raw) {
  if (!raw.trim()) return;
  if (continuous.checked) {
    input.value = "";
    resolveInRow(raw);
  } else {
    input.value = raw;
    form.submit();
  }
}

form.addEventListener("submit", (event) => {
  if (continuous.checked) {
    event.preventDefault();
    submitScan(input.value);
  }
});

// The result of the last single scan speaks for itself once, with sound.
const shown = document.querySelector(".scan-result");
if (shown) beep(shown.dataset.accepted === "true");

// Camera: the browser's own detector where it exists, else frames decoded on the server.
function stopCamera() {
  if (stream) stream.getTracks().forEach((track) => track.stop());
  stream = null;
  video.hidden = true;
  cameraStatus.textContent = "";
  cameraButton.textContent = text.cameraButtonStart;
}

async function scanLoop(detector) {
  while (stream) {
    if (!busy && video.readyState >= 2) {
      busy = true;
      try {
        let raw = null;
        if (detector) {
          const codes = await detector.detect(video);
          raw = codes.length ? codes[0].rawValue : null;
        } else {
          raw = await frameToServer(video, "/scan/frame", csrf);
        }
        if (raw) {
          if (!continuous.checked) stopCamera();
          submitScan(raw);
          // Give the person time to move to the next label before reading again.
          await new Promise((done) => setTimeout(done, 1500));
        }
      } catch (error) {
        // A frame that cannot be read is simply skipped.
      }
      busy = false;
    }
    await new Promise((done) => setTimeout(done, detector ? 200 : 700));
  }
}

if (navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
  cameraButton.hidden = false;
  cameraButton.addEventListener("click", async () => {
    if (stream) {
      stopCamera();
      input.focus();
      return;
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: "environment" }, audio: false,
      });
    } catch (error) {
      cameraStatus.textContent = text.cameraError;
      return;
    }
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    cameraButton.textContent = text.cameraButtonStop;
    cameraStatus.textContent = text.cameraStart;
    scanLoop(await barcodeDetector());
  });
}
