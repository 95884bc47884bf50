/**
 * Refusals the database makes (permission denied, 42501, and our own rule
 * errors, CC...) roll back the request's transaction, so the database cannot
 * record them itself. After execution, this records each one as an
 * audit_logs row ('denied'), as the signed-in person, in a transaction of its
 * own (app_hidden.record_refusal). 401s never reach here: they are logged and
 * counted by the sign-in middleware.
 */
import { Kind, type DocumentNode, type ExecutionResult, type OperationDefinitionNode } from "graphql";
import { logger } from "../lib/logger.js";

interface PgContext {
  pgSettings?: Record<string, string>;
  withPgClient?: <T>(settings: Record<string, string> | null, cb: (client: { query: (q: { text: string; values?: unknown[] }) => Promise<unknown> }) => Promise<T>) => Promise<T>;
}

function refusals(result: ExecutionResult): Array<{ sqlstate: string; message: string; path: string }> {
  return (result.errors ?? []).flatMap((e) => {
    const code = (e.originalError as { code?: unknown } | undefined)?.code;
    return typeof code === "string" && (code === "42501" || /^CC[0-9A-Z]{3}$/.test(code))
      ? [{ sqlstate: code, message: e.originalError?.message ?? e.message, path: (e.path ?? []).join(".") }]
      : [];
  });
}

/** The name of the document's operation when the request did not give one (a document with one named operation). */
function operationNameOf(document: DocumentNode | undefined): string | undefined {
  const ops = (document?.definitions ?? []).filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return ops.length === 1 ? ops[0]!.name?.value : undefined;
}

export const RefusalAuditPlugin: GraphileConfig.Plugin = {
  name: "RefusalAuditPlugin",
  version: "1.0.0",
  description: "Records database refusals as audit rows",
  grafast: {
    middleware: {
      async execute(next, event) {
        const result = await next();
        if (!result || typeof result !== "object" || Symbol.asyncIterator in result) return result;
        const found = refusals(result as ExecutionResult);
        const ctx = event.args.contextValue as PgContext;
        if (found.length > 0 && ctx.withPgClient && ctx.pgSettings) {
          const operation = event.args.operationName ?? operationNameOf(event.args.document) ?? "anonymous";
          try {
            await ctx.withPgClient(ctx.pgSettings, async (client) => {
              for (const r of found) {
                await client.query({
                  text: "select app_hidden.record_refusal($1, $2, $3)",
                  values: [`${operation}${r.path ? ` ${r.path}` : ""}`, r.sqlstate, r.message],
                });
              }
            });
          } catch (e) {
            logger.error({ err: { message: (e as Error).message } }, "could not record a refusal in the audit log");
          }
        }
        return result;
      },
    },
  },
};
