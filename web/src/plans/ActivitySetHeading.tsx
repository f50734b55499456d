import { useEffect, useRef, useState, type KeyboardEvent, type SyntheticEvent } from 'react';
import { useMutation } from 'urql';
import { fieldErrors, formLevelProblems } from '../api/errors';
import { Field } from '../ui/Field';
import { ErrorBanner } from '../ui/states';
import { DeleteSetMutation, RenameSetMutation } from './editorDocuments';

/** The question asked before a set is deleted: its activities stay, outside any set. */
export function deleteSetQuestion(name: string, activities: number): string {
  const stay =
    activities === 0
      ? 'It has no activities.'
      : activities === 1
        ? 'Its activity stays in the plan, outside any set.'
        : `Its ${String(activities)} activities stay in the plan, outside any set.`;
  return `Delete the set “${name}”? ${stay}`;
}

/**
 * The heading of one activity set in the plan editor; while the plan is a draft, with "Rename"
 * (an inline form: Enter saves, Escape cancels) and "Delete" (after a confirmation). The
 * server's errors (INVALID_TRANSITION once the plan is approved, VALIDATION of the name) are
 * shown here.
 */
export function ActivitySetHeading({
  set,
  activities,
  editable,
  onChanged,
}: {
  set: { id: string; name: string };
  /** How many activities the set holds (for the confirmation). */
  activities: number;
  editable: boolean;
  /** After a rename or delete the server accepted, with what to tell the person. */
  onChanged: (message: string) => void;
}) {
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(set.name);
  const [rename, renameSet] = useMutation(RenameSetMutation);
  const [del, deleteSet] = useMutation(DeleteSetMutation);
  const renameButton = useRef<HTMLButtonElement>(null);
  const wasRenaming = useRef(false);

  // Back from the form, the keyboard is where it was: on "Rename".
  useEffect(() => {
    if (wasRenaming.current && !renaming) renameButton.current?.focus();
    wasRenaming.current = renaming;
  }, [renaming]);

  if (!editable) return <h3 className="h4">{set.name}</h3>;

  const trimmed = name.trim();
  async function submit(e: SyntheticEvent) {
    e.preventDefault();
    if (trimmed === set.name) {
      setRenaming(false);
      return;
    }
    const r = await renameSet({ input: { id: set.id, name: trimmed } });
    if (!r.error) {
      setRenaming(false);
      onChanged(`Set renamed to “${trimmed}”.`);
    }
  }
  function cancelOnEscape(e: KeyboardEvent) {
    if (e.key === 'Escape') {
      e.preventDefault();
      setRenaming(false);
    }
  }

  if (renaming) {
    return (
      <form className="inline-form plan-set__rename" aria-label={`Rename set ${set.name}`} onSubmit={(e) => void submit(e)} onKeyDown={cancelOnEscape}>
        <ErrorBanner problems={formLevelProblems(rename.error, ['name'])} />
        <Field label="Set name" error={fieldErrors(rename.error).name}>
          <input value={name} onChange={(e) => setName(e.target.value)} required autoFocus />
        </Field>
        <button type="submit" className="btn btn--primary" disabled={rename.fetching || !trimmed}>
          Save
        </button>
        <button type="button" className="btn" onClick={() => setRenaming(false)}>
          Cancel
        </button>
      </form>
    );
  }

  return (
    <>
      <div className="plan-set__head">
        <h3 className="h4">{set.name}</h3>
        <div className="button-row">
          <button
            ref={renameButton}
            type="button"
            className="btn btn--small"
            aria-label={`Rename set ${set.name}`}
            onClick={() => {
              setName(set.name);
              setRenaming(true);
            }}
          >
            Rename
          </button>
          <button
            type="button"
            className="btn btn--small btn--danger"
            aria-label={`Delete set ${set.name}`}
            disabled={del.fetching}
            onClick={() => {
              if (!window.confirm(deleteSetQuestion(set.name, activities))) return;
              void deleteSet({ input: { id: set.id } }).then((r) => {
                if (!r.error) onChanged(`Set “${set.name}” deleted; its activities stay in the plan.`);
              });
            }}
          >
            Delete
          </button>
        </div>
      </div>
      <ErrorBanner error={del.error} />
    </>
  );
}
