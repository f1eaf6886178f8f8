/** The limits AWS puts on tags: on each map the user writes, and on each resource's merged tags. */
import { MAX_TAG_KEY_LENGTH, MAX_TAG_VALUE_LENGTH, MAX_TAGS, TAG_CHARACTERS } from '../limits';
import type { Problems, Subject } from '../problems';

/** Checks a tag map as the user wrote it: keys and values (characters, lengths, no `aws:` prefix). */
export function checkTags(problems: Problems, subject: Subject, field: string, tags: unknown): tags is Record<string, string> {
  if (tags === undefined) return true;
  if (!problems.object(subject, field, tags)) return false;
  let valid = true;
  for (const [key, value] of Object.entries(tags)) {
    if (key.length === 0 || key.length > MAX_TAG_KEY_LENGTH || key.toLowerCase().startsWith('aws:') || !TAG_CHARACTERS.test(key)) {
      problems.add(
        subject,
        `${field} key`,
        `must be 1 to ${MAX_TAG_KEY_LENGTH} letters, digits, spaces or _.:/=+-@ and not start with "aws:"`,
        key,
        'rename the tag',
      );
      valid = false;
    }
    if (typeof value !== 'string' || value.length > MAX_TAG_VALUE_LENGTH || !TAG_CHARACTERS.test(value)) {
      problems.add(subject, `${field}.${key}`, `must be a string of at most ${MAX_TAG_VALUE_LENGTH} letters, digits, spaces or _.:/=+-@`, value);
      valid = false;
    }
  }
  return valid;
}

/**
 * Checks the tags one resource ends up with (environment, queue or function, override and the
 * tags the model adds): AWS allows 50 per resource.
 */
export function checkMergedTagCount(problems: Problems, subject: Subject, resource: string, tags: Readonly<Record<string, string>>): boolean {
  const count = Object.keys(tags).length;
  if (count <= MAX_TAGS) return true;
  problems.add(
    subject,
    'tags',
    `must leave the ${resource} at most ${MAX_TAGS} tags after merging the environment's, the definition's and the model's own (Environment, ManagedBy, …)`,
    count,
    `remove ${count - MAX_TAGS}`,
  );
  return false;
}
