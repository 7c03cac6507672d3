// Builds the browser pages into web/dist: the staff console, the member's waiting page, the
// carer page and the camera check. Everything is bundled: no CDN.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here("."),
  base: "/",
  esbuild: { jsx: "automatic" },
  build: {
    outDir: here("dist"),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      input: { console: here("index.html"), join: here("join.html"), carer: here("carer.html"), check: here("check.html") },
    },
  },
});
