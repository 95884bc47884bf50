// Jest loads global setup outside its module system; tsx loads our TypeScript.
import { tsImport } from "tsx/esm/api";

export default async function globalSetup() {
  const { globalSetup: setup } = await tsImport("./test-server-lifecycle.ts", import.meta.url);
  await setup();
}
