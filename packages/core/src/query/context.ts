// What a query needs from its store: the engine, the schema root, the record count, a way to
// make record views, and the store's working memory (secured by every load and append, so a
// query only uses it: see workspace.ts).
import type { Engine } from '../engine';
import type { Node } from '../schema/node';
import type { Workspace, WorkingMemory } from './workspace';
import { resolveTarget, type Target } from './target';
import type { Path } from '../path';

export class QueryContext {
  /** Resolved string paths: a query's fixed cost is mostly this walk otherwise. */
  private readonly targets = new Map<string, Target>();
  private lastPath: string | null = null;
  private lastTarget: Target | null = null;
  /**
   * The snapshot's context that replaced this one (an append, kept or undone), once there is one:
   * a selection built here then builds its tests again in the store's tree as it is now
   * (Selection.current), and paths asked here resolve there.
   */
  private next: QueryContext | null = null;

  constructor(
    readonly engine: Engine,
    readonly root: Node,
    readonly rowCount: number,
    readonly view: (row: number) => unknown,
    private readonly memory: WorkingMemory,
  ) {}

  /**
   * The store's one workspace. Shared by every snapshot: a selection made before an append uses
   * the workspace secured for the store as it is now, which covers its older, smaller shape.
   */
  get workspace(): Workspace {
    this.assertLive();
    return this.memory.workspace;
  }

  /**
   * The column (and lists crossed) at `path`, in the store's tree as it is now (so an older
   * selection's sum, groupBy or orderBy reads columns as they are stored now); string paths are
   * resolved once per snapshot.
   */
  target(path: Path): Target {
    if (this.next !== null) return this.current.target(path);
    // lastTarget is null until a path was resolved: where(null) must reach parsePath's error, not this cache.
    return path === this.lastPath && this.lastTarget !== null ? this.lastTarget : this.resolve(path);
  }

  /** Whether a later snapshot's context replaced this one. */
  get replaced(): boolean {
    return this.next !== null;
  }

  /** The store's context now: this one, or the last of those that replaced it. */
  get current(): QueryContext {
    let context: QueryContext = this;
    while (context.next !== null) context = context.next;
    // Straight to the last: a selection kept across many appends walks the chain once.
    if (this.next !== null) this.next = context;
    return context;
  }

  /** Called by the store when `next` (its new snapshot's context) replaces this one. */
  replacedBy(next: QueryContext): void {
    this.next = next;
  }

  private resolve(path: Path): Target {
    if (typeof path !== 'string') return resolveTarget(this.root, path);
    let target = this.targets.get(path);
    if (target === undefined) {
      target = resolveTarget(this.root, path);
      this.targets.set(path, target);
    }
    this.lastPath = path;
    this.lastTarget = target;
    return target;
  }

  /** `what` names the object asked (a selection, a grouping…) in the error; the store by default. */
  assertLive(what?: string): void {
    this.engine.assertLive(what);
  }

  /** Bytes of a selection bitmap over every record row. */
  get bitmapBytes(): number {
    return Math.ceil(this.rowCount / 64) * 8;
  }
}
