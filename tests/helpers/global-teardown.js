// See global-setup.js.
import { tsImport } from "tsx/esm/api";

export default async function globalTeardown() {
  const { globalTeardown: teardown } = await tsImport("./test-server-lifecycle.ts", import.meta.url);
  await teardown();
}
