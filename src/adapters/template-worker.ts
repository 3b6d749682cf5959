/**
 * The template worker thread (src/adapters/template-pool.ts): renders one job at a time with the pure renderer
 * and its deterministic work budget, so a render that still runs too long can be ended by terminating the
 * thread (the event loop that serves HTTP never runs template code). Inputs arrive structured-cloned; an
 * invocation's context is built here from its plain input (the context's non-enumerable label views do not
 * survive a clone). Errors go back as data: a TemplateError's code, message, line and column.
 */
import { type MessagePort, workerData } from "node:worker_threads";
import { TemplateError, buildTemplateContext, renderValue, type TemplateContextInput } from "../templates/index.js";

/** One render: `context` (plain data, webhooks) or `input` (buildTemplateContext's input, action parameters). */
export type TemplateJobBody = { value: unknown } & ({ context: Record<string, unknown> } | { input: TemplateContextInput });
/** `workBudget`: the render's work units (RenderOptions.workBudget; default TEMPLATE_LIMITS.workBudget) */
export type TemplateJob = { id: number; workBudget?: number } & TemplateJobBody;

export type TemplateReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { template: boolean; code?: string; message: string; line?: number; col?: number } };

function run(job: TemplateJob): TemplateReply {
  try {
    const context = "input" in job ? buildTemplateContext(job.input) : job.context;
    const options = job.workBudget !== undefined ? { workBudget: job.workBudget } : {};
    return { id: job.id, ok: true, value: renderValue(job.value, context, options) };
  } catch (err) {
    if (err instanceof TemplateError) {
      const error: Extract<TemplateReply, { ok: false }>["error"] = { template: true, code: err.code, message: err.message };
      if (err.line !== undefined) error.line = err.line;
      if (err.col !== undefined) error.col = err.col;
      return { id: job.id, ok: false, error };
    }
    return { id: job.id, ok: false, error: { template: false, message: err instanceof Error ? err.message : String(err) } };
  }
}

// the pool's own channel (not parentPort): the pool can read a reply synchronously when a deadline fires
const port = (workerData as { port?: MessagePort } | null)?.port;
if (port) {
  // warm the parser, compiler and runtime before taking jobs: a cold first render is several times slower,
  // and a deadline should judge the template, not the thread's start-up
  for (let i = 0; i < 3; i++) {
    run({
      id: 0,
      value: { a: "{{ x | upper }} {% for i in range(3) %}{{ i }}{% endfor %}", b: "{{ y.z | default('') | tojson }}", c: "{{ y }}" },
      context: { x: `warm ${i}`, y: { z: i } },
    });
  }
  port.on("message", (job: TemplateJob) => port.postMessage(run(job)));
  port.postMessage({ ready: true });
}
