/**
 * A REST client for tests: calls a path as a person (or without a token) and
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
  /** Any method; a body is sent as JSON, or as it is with the content type given (a CSV file). */
  send(
    method: "get" | "post" | "put" | "patch" | "delete", path: string, token?: string, body?: unknown, contentType?: string,
  ): Promise<{ status: number; body: Json }>;
  openapi: Json;
}

export async function restClient(server: TestServer): Promise<RestClient> {
  const openapi = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as Json;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(openapi.components.schemas.Error, "#/components/schemas/Error");
  const validators = new Map<string, ReturnType<typeof ajv.compile>>();
  const templates = Object.keys(openapi.paths as object).map((t) => ({ template: t, re: new RegExp(`^${t.replace(/\{\w+\}/g, "[^/]+")}$`) }));
  const client: RestClient = {
    openapi,
    get(path, token) {
      return client.send("get", path, token);
    },
    async send(method, path, token, payload, contentType) {
      const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
      if (payload !== undefined) headers["content-type"] = contentType ?? "application/json";
      const raw = contentType !== undefined && typeof payload === "string";
      const res = await fetch(`${server.url}${path}`, {
        method: method.toUpperCase(),
        headers,
        ...(payload !== undefined ? { body: raw ? payload : JSON.stringify(payload) } : {}),
      });
      const body = (await res.json()) as Json;
      const template = templates.find((t) => t.re.test(path.split("?")[0]!))?.template;
      if (!template) throw new Error(`${path} is not in /api/openapi.json`);
      const operation = openapi.paths[template][method];
      if (!operation) throw new Error(`${method.toUpperCase()} ${template} is not in /api/openapi.json`);
      const response = operation.responses[String(res.status)];
      if (!response) throw new Error(`${method.toUpperCase()} ${template} answered ${res.status}, which /api/openapi.json does not list`);
      const key = `${method} ${template} ${res.status}`;
      let validate = validators.get(key);
      if (!validate) {
        const schema = response.content["application/json"].schema as Json;
        validate = ajv.compile(schema.$ref ? openapi.components.schemas.Error : schema);
        validators.set(key, validate);
      }
      if (!validate(body)) throw new Error(`${method.toUpperCase()} ${path} (${res.status}) does not match /api/openapi.json: ${ajv.errorsText(validate.errors)}`);
      return { status: res.status, body };
    },
  };
  return client;
}
