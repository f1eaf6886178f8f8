/** Tag merging and the limits SQS and IAM put on tags. */
import { MAX_TAG_KEY_LENGTH, MAX_TAG_VALUE_LENGTH, MAX_TAGS } from './limits';
import type { Problems, Subject } from './problems';

export function checkTags(problems: Problems, subject: Subject, field: string, tags: unknown): tags is Record<string, string> {
  if (tags === undefined) return true;
  if (!problems.object(subject, field, tags)) return false;
  let valid = true;
  const entries = Object.entries(tags);
  if (entries.length > MAX_TAGS) {
    problems.add(subject, field, `must have at most ${MAX_TAGS} tags`, `${entries.length} tags`);
    valid = false;
  }
  for (const [key, value] of entries) {
    if (key.length === 0 || key.length > MAX_TAG_KEY_LENGTH || key.toLowerCase().startsWith('aws:')) {
      problems.add(subject, `${field} key`, `must be 1 to ${MAX_TAG_KEY_LENGTH} characters and not start with "aws:"`, key);
      valid = false;
    }
    if (typeof value !== 'string' || value.length > MAX_TAG_VALUE_LENGTH) {
      problems.add(subject, `${field}.${key}`, `must be a string of at most ${MAX_TAG_VALUE_LENGTH} characters`, value);
      valid = false;
    }
  }
  return valid;
}
