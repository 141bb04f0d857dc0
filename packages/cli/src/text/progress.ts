// Progress on stderr for long work, when stderr is a terminal and --quiet is not given: one line
// rewritten in place (a bar when the total is known). Silent otherwise, so pipes and logs hold only
// data and errors.

export interface Progress {
  /** `done` of `total` (bytes or steps); total 0 or undefined: no bar, only the count. */
  update(label: string, done: number, total?: number): void;
  /** Clears the line. */
  end(): void;
}

const SILENT: Progress = { update() {}, end() {} };
const REDRAW_MS = 100;

export function progress(quiet: boolean): Progress {
  const stream = process.stderr;
  if (quiet || !stream.isTTY) return SILENT;
  let last = 0;
  let shown = false;
  return {
    update(label, done, total) {
      const now = Date.now();
      if (now - last < REDRAW_MS && !(total !== undefined && done >= total)) return;
      last = now;
      const width = Math.max(10, Math.min(40, (stream.columns ?? 80) - label.length - 20));
      let text = label;
      if (total !== undefined && total > 0) {
        const part = Math.min(1, done / total);
        const filled = Math.round(part * width);
        text += ` [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(part * 100).toFixed(0)}%`;
      }
      stream.write(`\r\x1b[2K${text}`);
      shown = true;
    },
    end() {
      if (shown) stream.write('\r\x1b[2K');
      shown = false;
    },
  };
}
