// Barcode scanning with the camera where the browser has BarcodeDetector (Chrome on Android);
// loaded only when the shop taps "scan". Resolves with the first code read, or null.
interface Detector {
  detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>;
}

export async function scanBarcode(): Promise<string | null> {
  const Ctor = (globalThis as unknown as { BarcodeDetector?: new (o: object) => Detector }).BarcodeDetector;
  if (!Ctor) return null;
  const detector = new Ctor({ formats: ["ean_13", "ean_8", "upc_a", "upc_e", "code_128"] });
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
  const dialog = document.createElement("dialog");
  dialog.className = "scanner";
  const video = document.createElement("video");
  video.muted = true;
  video.playsInline = true;
  video.srcObject = stream;
  const stop = document.createElement("button");
  stop.textContent = "×";
  stop.setAttribute("aria-label", document.documentElement.lang === "ar" ? "إغلاق" : "Close");
  dialog.append(video, stop);
  document.body.append(dialog);
  dialog.showModal();
  await video.play();
  try {
    return await new Promise<string | null>((resolve) => {
      stop.onclick = () => resolve(null);
      dialog.onclose = () => resolve(null);
      const look = async () => {
        if (!dialog.open) return;
        const [found] = await detector.detect(video).catch(() => []);
        if (found?.rawValue) resolve(found.rawValue);
        else requestAnimationFrame(() => void look());
      };
      void look();
    });
  } finally {
    for (const track of stream.getTracks()) track.stop();
    dialog.remove();
  }
}
