// Step sound clips on the authoring screen: record from the microphone, encode a 16-bit mono
// WAV at 16 kHz and put it into the step form's file input, so the normal form submit uploads
// it (the server checks and re-encodes it again).
//
// This file is also the AudioWorklet module that collects the samples: the CSP allows scripts
// from this site only, so the worklet cannot be built from a blob: URL.

const PROCESSOR = "shopfloor-recorder";
const TARGET_RATE = 16000;
const MIN_SECONDS = 0.3;
const MAX_SECONDS = 30;

// Average each window of input samples into one output sample: a simple low-pass filter, so
// a 48 kHz recording does not alias when it drops to 16 kHz.
function toTargetRate(samples, rate) {
  if (rate === TARGET_RATE) return samples;
  const ratio = rate / TARGET_RATE;
  const out = new Float32Array(Math.floor(samples.length / ratio));
  for (let i = 0; i < out.length; i += 1) {
    const from = Math.floor(i * ratio);
    const to = Math.min(samples.length, Math.max(from + 1, Math.floor((i + 1) * ratio)));
    let sum = 0;
    for (let j = from; j < to; j += 1) sum += samples[j];
    out[i] = sum / (to - from);
  }
  return out;
}

function joined(chunks) {
  const all = new Float32Array(chunks.reduce((total, chunk) => total + chunk.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.length;
  }
  return all;
}

function encodeWav(samples) {
  const view = new DataView(new ArrayBuffer(44 + samples.length * 2));
  const ascii = (offset, value) => {
    for (let i = 0; i < value.length; i += 1) view.setUint8(offset + i, value.charCodeAt(i));
  };
  ascii(0, "RIFF");
  view.setUint32(4, 36 + samples.length * 2, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  view.setUint32(16, 16, true); // size of the format chunk
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, TARGET_RATE, true);
  view.setUint32(28, TARGET_RATE * 2, true); // bytes per second
  view.setUint16(32, 2, true); // bytes per frame
  view.setUint16(34, 16, true); // bits per sample
  ascii(36, "data");
  view.setUint32(40, samples.length * 2, true);
  samples.forEach((sample, i) => {
    const clipped = Math.max(-1, Math.min(1, sample));
    view.setInt16(44 + i * 2, clipped < 0 ? clipped * 0x8000 : clipped * 0x7fff, true);
  });
  return new Blob([view.buffer], { type: "audio/wav" });
}

// The audio graph: microphone -> collector (a worklet, or the older ScriptProcessorNode).
// The collector writes nothing to its output, so connecting it to the speakers stays silent;
// the connection only keeps it running.
async function startCollector(context, stream, collect) {
  const source = context.createMediaStreamSource(stream);
  let node;
  if (context.audioWorklet && typeof AudioWorkletNode === "function") {
    await context.audioWorklet.addModule(import.meta.url);
    node = new AudioWorkletNode(context, PROCESSOR, {
      numberOfInputs: 1, numberOfOutputs: 1, channelCount: 1, channelCountMode: "explicit",
    });
    node.port.onmessage = (event) => collect(event.data);
  } else {
    node = context.createScriptProcessor(4096, 1, 1);
    node.onaudioprocess = (event) => collect(event.inputBuffer.getChannelData(0).slice(0));
  }
  source.connect(node);
  node.connect(context.destination);
}

function setUp(field) {
  const text = field.dataset;
  const recorder = field.querySelector(".recorder");
  const record = field.querySelector("[data-record]");
  const stop = field.querySelector("[data-stop]");
  const preview = field.querySelector(".recorder-preview");
  const status = field.querySelector(".recorder-status");
  const input = field.querySelector('input[type="file"][name="audio"]');
  let session = null;

  const say = (message) => { status.textContent = message; };
  const showPreview = (blob) => {
    if (preview.src) URL.revokeObjectURL(preview.src);
    preview.src = URL.createObjectURL(blob);
    preview.hidden = false;
  };

  // A chosen file can be heard before saving, like a recording.
  input.addEventListener("change", () => {
    if (input.files.length) showPreview(input.files[0]);
  });

  if (!window.isSecureContext) {
    say(text.textInsecure);
    return;
  }
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
    say(text.textNoMicrophone);
    return;
  }
  if (typeof DataTransfer !== "function" || typeof AudioContext !== "function") {
    say(text.textFailed);
    return;
  }
  recorder.hidden = false;

  function finish(reachedLimit = false) {
    if (!session) return;
    const { stream, context, chunks } = session;
    session = null;
    stream.getTracks().forEach((track) => track.stop());
    const rate = context.sampleRate;
    context.close();
    stop.disabled = true;
    record.disabled = false;
    record.focus();
    const samples = toTargetRate(joined(chunks), rate).subarray(0, MAX_SECONDS * TARGET_RATE);
    if (samples.length < MIN_SECONDS * TARGET_RATE) {
      say(text.textTooShort);
      return;
    }
    const blob = encodeWav(samples);
    const transfer = new DataTransfer();
    transfer.items.add(new File([blob], "recording.wav", { type: "audio/wav" }));
    input.files = transfer.files;
    showPreview(blob);
    say(reachedLimit ? `${text.textLimit} ${text.textRecorded}` : text.textRecorded);
  }

  async function start() {
    record.disabled = true;
    // The context is created inside the tap, so the browser lets it run.
    const current = { context: new AudioContext(), chunks: [], stream: null };
    let collected = 0;
    try {
      current.stream = await navigator.mediaDevices.getUserMedia({
        audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true },
      });
      session = current;
      await startCollector(current.context, current.stream, (samples) => {
        if (session !== current) return; // blocks that arrive after Stop
        current.chunks.push(samples);
        collected += samples.length;
        if (collected >= MAX_SECONDS * current.context.sampleRate) finish(true);
      });
    } catch (error) {
      session = null;
      if (current.stream) current.stream.getTracks().forEach((track) => track.stop());
      current.context.close();
      record.disabled = false;
      const denied = ["NotAllowedError", "SecurityError"].includes(error.name);
      const missing = ["NotFoundError", "OverconstrainedError"].includes(error.name);
      say(denied ? text.textDenied : missing ? text.textNoMicrophone : text.textFailed);
      return;
    }
    stop.disabled = false;
    stop.focus();
    say(text.textRecording);
  }

  record.addEventListener("click", start);
  stop.addEventListener("click", () => finish());
}

if (typeof registerProcessor === "function") {
  // Loaded as the worklet, in the audio thread: pass each block of samples to the page.
  registerProcessor(PROCESSOR, class extends AudioWorkletProcessor {
    process(inputs) {
      const channel = inputs[0] && inputs[0][0];
      if (channel) this.port.postMessage(channel.slice(0));
      return true;
    }
  });
} else {
  document.querySelectorAll("[data-audio-field]").forEach(setUp);
}
