// One measurement in a fresh child process: the parent forks a built script with a JSON spec
// and takes the one IPC message the child sends back (a result, or the child's error), and the
// child's side of that exchange. Used by the retained-memory children (retained.ts) and the
// feeds' children (feeds/measure.ts).
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { PACKAGE_DIR } from '../cli';

export type ChildMessage<R> = { ok: true; result: R } | { ok: false; name?: string; message: string; stack?: string };

/** Thrown in the parent when the child failed; `childStack` is the child's stack. */
export class MeasureError extends Error {
  constructor(
    message: string,
    readonly childName: string | undefined,
    readonly childStack: string | undefined,
  ) {
    super(message);
    this.name = 'MeasureError';
  }
}

/** packages/bench/dist/<relative>, which must have been built. */
export function builtScript(relative: string): string {
  const script = resolve(PACKAGE_DIR, 'dist', relative);
  if (!existsSync(script)) throw new Error(`${script} is missing: build @memstore/bench first (npx turbo run build)`);
  return script;
}

/**
 * Runs `script <spec JSON>` in a fresh `node` (with `execArgv`), resolves with the result it
 * sends, rejects with a MeasureError when it reports a failure, or an Error when it exits first
 * (killed, or out of memory: V8 prints why on the inherited stderr).
 */
export function forkMeasurement<R>(script: string, spec: object, label: string, execArgv: string[] = ['--expose-gc']): Promise<R> {
  return new Promise((resolvePromise, reject) => {
    const child = fork(script, [JSON.stringify(spec)], { execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'json' });
    let message: ChildMessage<R> | undefined;
    child.on('message', (received) => {
      message = received as ChildMessage<R>;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (message?.ok === true) resolvePromise(message.result);
      else if (message?.ok === false) reject(new MeasureError(message.message, message.name, message.stack));
      else reject(new Error(`the ${label} child exited with ${signal ?? `code ${code}`} before reporting`));
    });
  });
}

/**
 * The child's main: runs `measure` on the spec in argv[0], sends the result (or the error) to
 * the parent (or prints it when run by hand), then exits. `alive()` is called once the message
 * is out and should read whatever the measurement holds, so it lives until then.
 */
export async function replyToParent<S, R>(argv: readonly string[], measure: (spec: S) => Promise<R>, alive: () => boolean): Promise<void> {
  let message: ChildMessage<R>;
  try {
    message = { ok: true, result: await measure(JSON.parse(argv[0] ?? '') as S) };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    message = { ok: false, name: e.name, message: e.message, stack: e.stack };
  }
  if (process.send === undefined) {
    process.stdout.write(JSON.stringify(message, null, 2) + '\n');
    process.exit(message.ok ? 0 : 1);
  }
  process.send(message, () => process.exit(message.ok && alive() ? 0 : 1));
}
