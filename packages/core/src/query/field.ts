// field(path): a second column of the same records as the operand of a comparison,
// `where('home_score').gt(field('away_score'))`. A plain marker holding the path: the predicate
// resolves it against its own store's schema (so one field() serves any store), and a literal
// check that meets it anywhere else (in(), between(), a mixed column's eq) refuses it.
import { parsePath, type Path } from '../path';

export class Field {
  /** @internal Made by field(). */
  constructor(readonly path: Path) {}
}

/** The value of another column of the same record, to compare with: `where('a').gt(field('b'))`. */
export function field(path: Path): Field {
  parsePath(path); // a path of the wrong type fails here, where it was written
  return new Field(path);
}
