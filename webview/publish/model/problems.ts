/**
 * What keeps the form from being sent, without a DOM: the form's own problems and validateDraft's
 * (src/core/publish/validate.ts, the same check the host runs before it sends), each next to the
 * field it names and listed in the order the form shows them.
 */
import type { PublishDraft, PublishTarget } from '../../../src/core/protocol/publish';
import { validateDraft, type DraftProblem } from '../../../src/core/publish/validate';
import { FIELD_ORDER, type FieldId } from './fields';
import { draftFromForm, type FormState } from './form';

export interface Problem {
  readonly field: FieldId;
  readonly text: string;
}

/** Every problem that keeps the form from being sent: the form's own, then `validateDraft`'s. */
export function collectProblems(
  form: FormState,
  target: PublishTarget,
  validate: (draft: PublishDraft, mqttVersion?: 4 | 5) => readonly DraftProblem[] = validateDraft,
): { draft: PublishDraft; problems: Problem[] } {
  const { draft, problems } = draftFromForm(form, target.kind, target.mqttVersion);
  for (const { field, message: text } of validate(draft, target.mqttVersion)) {
    if (!problems.some((p) => p.field === field && p.text === text)) {
      problems.push({ field, text });
    }
  }
  problems.sort((x, y) => FIELD_ORDER.indexOf(x.field) - FIELD_ORDER.indexOf(y.field));
  return { draft, problems };
}
