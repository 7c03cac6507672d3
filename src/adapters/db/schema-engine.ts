// Loads Prisma's schema engine compiled to WebAssembly: migrations run offline, in-process,
// through the same driver adapters the app uses. The package's own entry imports the .wasm file
// as an ES module, which Node 20 only allows behind a flag, so it is instantiated here by hand.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import * as bindings from "@prisma/schema-engine-wasm/schema_engine_bg";

export type SchemaEngine = bindings.SchemaEngine;

// Node has WebAssembly at run time; its types live in the DOM lib, which this project leaves out.
declare const WebAssembly: {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
};

let loaded: Promise<void> | undefined;

function loadWasm(): Promise<void> {
  loaded ??= (async () => {
    const bgJs = createRequire(import.meta.url).resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bytes = readFileSync(bgJs.replace(/\.js$/, ".wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": bindings });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return loaded;
}

export async function openSchemaEngine(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  datamodels: [fileName: string, schemaText: string][],
  onLog: (line: string) => void = () => {},
): Promise<SchemaEngine> {
  await loadWasm();
  return bindings.SchemaEngine.new({ datamodels }, onLog, bindMigrationAwareSqlAdapterFactory(adapterFactory));
}
