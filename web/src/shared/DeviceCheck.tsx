// A camera and microphone check that needs no session: the person sees themselves and is told
// plainly whether their camera and microphone work.
import { useEffect, useRef, useState } from "react";
import { CameraIcon, StopIcon, TickIcon } from "./icons.tsx";

type Result = "idle" | "checking" | "ok" | "failed";

export function DeviceCheck() {
  const video = useRef<HTMLVideoElement>(null);
  const [result, setResult] = useState<Result>("idle");
  const [stream, setStream] = useState<MediaStream | null>(null);

  useEffect(
    () => () => {
      for (const t of stream?.getTracks() ?? []) t.stop();
    },
    [stream],
  );

  const start = async () => {
    setResult("checking");
    try {
      const media = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
      setStream(media);
      if (video.current) video.current.srcObject = media;
      setResult("ok");
    } catch {
      setResult("failed");
    }
  };

  const stop = () => {
    for (const t of stream?.getTracks() ?? []) t.stop();
    setStream(null);
    setResult("idle");
  };

  return (
    <section aria-labelledby="check-heading">
      <h2 id="check-heading">Test your camera</h2>
      <div role="status" aria-live="polite" className={`status ${result === "ok" ? "good" : result === "failed" ? "bad" : ""}`}>
        {result === "idle" && (
          <div className="row">
            <CameraIcon label="Camera" />
            <p>Press the button to see yourself.</p>
          </div>
        )}
        {result === "checking" && <p>Checking your camera and microphone.</p>}
        {result === "ok" && (
          <div className="row">
            <TickIcon label="Working" />
            <p>Your camera and microphone work.</p>
          </div>
        )}
        {result === "failed" && (
          <div className="row">
            <StopIcon label="Not working" />
            <p>We cannot use your camera. Ask someone to help you.</p>
          </div>
        )}
      </div>
      <video ref={video} autoPlay playsInline muted hidden={result !== "ok"} aria-label="Your camera" width={320} height={240} />
      <div className="actions">
        {result === "ok" ? (
          <button type="button" className="secondary" onClick={stop}>
            Stop the test
          </button>
        ) : (
          <button type="button" className="secondary" onClick={start}>
            Test my camera
          </button>
        )}
      </div>
    </section>
  );
}
