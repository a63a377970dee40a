import { eligibilityKind } from './eligibility';
import type { Kind } from './kind';
import { studentsKind } from './students';

/** Every import kind this build runs; adding a kind is one folder and one line here. */
const KINDS: readonly Kind[] = [eligibilityKind, studentsKind];

const byName = new Map(KINDS.map((kind) => [kind.name, kind]));

export class UnknownKindError extends Error {
  override readonly name = 'UnknownKindError';
  readonly code = 'KIND_NOT_SUPPORTED';
}

export const KIND_NAMES: readonly string[] = KINDS.map((kind) => kind.name);

/** The kind an import or run names; a name this build does not know is refused, never guessed. */
export function kindOf(name: string): Kind {
  const kind = byName.get(name);
  if (!kind) throw new UnknownKindError(`Import kind ${JSON.stringify(name)} is not available in this build.`);
  return kind;
}

export type { Kind } from './kind';
