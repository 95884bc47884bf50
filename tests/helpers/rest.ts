/**
 * A REST client for tests: GETs a path as a person (or without a token) and
 * checks every answer against the schema /api/openapi.json gives for that
 * path and status, so each REST test also proves the document true.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import type { TestServer } from "./server.js";

// ajv-formats is CommonJS with a default export.
type AddFormats = (ajv: Ajv2020) => unknown;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ?? addFormatsModule) as unknown as AddFormats;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface RestClient {
  get(path: string, token?: string): Promise<{ status: number; body: Json }>;
  openapi: Json;
}

export async function restClient(server: TestServer): Promise<RestClient> {
  const openapi = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as Json;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(openapi.components.schemas.Error, "#/components/schemas/Error");
  const validators = new Map<string, ReturnType<typeof ajv.compile>>();
  const templates = Object.keys(openapi.paths as object).map((t) => ({ template: t, re: new RegExp(`^${t.replace(/\{\w+\}/g, "[^/]+")}$`) }));
  return {
    openapi,
    async get(path, token) {
      const res = await fetch(`${server.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
      const body = (await res.json()) as Json;
      const template = templates.find((t) => t.re.test(path.split("?")[0]!))?.template;
      if (!template) throw new Error(`${path} is not in /api/openapi.json`);
      const response = openapi.paths[template].get.responses[String(res.status)];
      if (!response) throw new Error(`GET ${template} answered ${res.status}, which /api/openapi.json does not list`);
      const key = `${template} ${res.status}`;
      let validate = validators.get(key);
      if (!validate) {
        const schema = response.content["application/json"].schema as Json;
        validate = ajv.compile(schema.$ref ? openapi.components.schemas.Error : schema);
        validators.set(key, validate);
      }
      if (!validate(body)) throw new Error(`GET ${path} (${res.status}) does not match /api/openapi.json: ${ajv.errorsText(validate.errors)}`);
      return { status: res.status, body };
    },
  };
}
