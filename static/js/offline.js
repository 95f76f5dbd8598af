// The page's side of working without a network (the service worker is tablet-sw.js):
// register it, ask it to keep the task's screens on "my work now", and have it send the
// taps that waited as soon as the network is back.

export function startOffline(body) {
  if (!("serviceWorker" in navigator) || !window.isSecureContext || !body.dataset.swUrl) return;
  const container = navigator.serviceWorker;
  container.register(body.dataset.swUrl, { scope: body.dataset.swScope }).catch(() => null);
  const tell = (message) => container.ready.then((registration) => {
    if (registration.active) registration.active.postMessage(message);
  });
  container.addEventListener("message", (event) => {
    const data = event.data || {};
    // For the supervisor's checks (and the browser tests): how many screens are kept.
    if (data.type === "work-kept") body.dataset.offlineReady = String(data.pages);
  });
  if (body.dataset.offlinePages) {
    tell({ type: "keep-work", pages: JSON.parse(body.dataset.offlinePages) });
  } else if ("forgetWork" in body.dataset) {
    tell({ type: "forget-work" });
  }
  tell({ type: "replay" });
  window.addEventListener("online", () => tell({ type: "replay" }));
  setInterval(() => tell({ type: "replay" }), 20_000);
}

// A tap id made on this tablet for each showing of a screen, so a screen kept for working
// without a network and shown twice (a second mould) gives two taps, not one resent.
export function freshTapIds() {
  if (!window.crypto || !crypto.randomUUID) return;
  document.querySelectorAll('input[name="client_id"]').forEach((input) => {
    input.value = crypto.randomUUID();
  });
}
