// /check: test a camera and microphone before any session.
import { createRoot } from "react-dom/client";
import "../shared/easy.css";
import { DeviceCheck } from "../shared/DeviceCheck.tsx";

createRoot(document.getElementById("root")!).render(
  <main>
    <h1>Check your camera</h1>
    <p>You can do this before your group.</p>
    <DeviceCheck />
  </main>,
);
