// Reading codes with a camera, shared by the scan screen and the worker tablets: the
// browser's own BarcodeDetector where it has one, else frames the server decodes (zxing-cpp).

export async function barcodeDetector() {
  if (!("BarcodeDetector" in window)) return null;
  try {
    const formats = await window.BarcodeDetector.getSupportedFormats();
    return formats.includes("qr_code") ? new window.BarcodeDetector({ formats }) : null;
  } catch (error) {
    return null;
  }
}

// Send the video's current frame to the server; its text, or null when nothing was read.
export async function frameToServer(video, url, csrf) {
  const canvas = document.createElement("canvas");
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext("2d").drawImage(video, 0, 0);
  const blob = await new Promise((done) => canvas.toBlob(done, "image/jpeg", 0.85));
  const data = new FormData();
  data.append("frame", blob, "frame.jpg");
  const response = await fetch(url, {
    method: "POST", body: data, headers: { "X-CSRFToken": csrf }, credentials: "same-origin",
  });
  const body = await response.json();
  return body.found ? body.text : null;
}
