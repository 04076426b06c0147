import { CleanRoomError } from '../errors.js';
import { templateDigest, validateTemplate } from '../template/index.js';
import type { Template } from '../template/index.js';
import type { Collaboration } from './collaboration.js';

/** Digests of frozen (so unchangeable) template objects, computed once each. */
const FROZEN_DIGESTS = new WeakMap<object, string>();

/**
 * Checks that a stored collaboration still runs the template its members attested to: the
 * stored template is re-validated (frozen, prototype-free maps) and its digest compared with
 * the collaboration's. The digest of what is stored is computed every time (once per frozen
 * object); validating is done once per digest, since the same canonical JSON validates the
 * same way, and the validated, frozen template is shared by every later load.
 *
 * @example
 * ```ts
 * const verifier = new TemplateVerifier();
 * const checked = verifier.verified(await store.getCollaboration('c_1')); // throws 'internal' when the template was tampered with
 * ```
 */
export class TemplateVerifier {
  readonly #valid = new Map<string, Template>();

  /** The collaboration with its verified, frozen template. */
  verified(collaboration: Collaboration): Collaboration {
    let stored: string | undefined = FROZEN_DIGESTS.get(collaboration.template);
    if (stored === undefined) {
      try {
        stored = templateDigest(collaboration.template);
        if (Object.isFrozen(collaboration.template)) FROZEN_DIGESTS.set(collaboration.template, stored);
      } catch {
        stored = undefined; // not even canonical JSON: the validation below refuses it
      }
    }
    if (stored !== undefined && stored === collaboration.templateDigest) {
      const known = this.#valid.get(stored);
      if (known !== undefined) return { ...collaboration, template: known };
    }
    const checked = validateTemplate(collaboration.template);
    if (!checked.ok || templateDigest(checked.template) !== collaboration.templateDigest) {
      throw new CleanRoomError('internal', `Cannot use collaboration ${collaboration.id}: its stored template does not match its digest`);
    }
    this.#valid.set(collaboration.templateDigest, checked.template);
    return { ...collaboration, template: checked.template };
  }
}
