import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { GraphQLError } from 'graphql';
import { CombinedError, type Operation } from 'urql';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { opName, renderSignedIn } from '../test/utils';
import { ActivitySetHeading, deleteSetQuestion } from './ActivitySetHeading';

const set = { id: 'set_1', name: 'Cut-over' };

function serverError(code: string, message: string, field?: string) {
  return {
    error: new CombinedError({
      graphQLErrors: [new GraphQLError(message, { extensions: { code, ...(field ? { field } : {}) } })],
    }),
  };
}

function renderHeading(answer: (op: Operation) => unknown, editable = true) {
  const changed = vi.fn();
  const utils = renderSignedIn(<ActivitySetHeading set={set} activities={2} editable={editable} onChanged={changed} />, {
    roles: ['IMPLEMENTATION_MANAGER'],
    answer: (op) => (answer(op) ?? null) as never,
  });
  const sent = () => utils.operations.filter((o) => /^(Rename|Delete)ActivitySet$/.test(opName(o) ?? '')).map((o) => ({ name: opName(o), variables: o.variables }));
  return { ...utils, changed, sent };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('an activity set in the plan editor', () => {
  it('is renamed with the keyboard only', async () => {
    const { changed, sent } = renderHeading((op) =>
      opName(op) === 'RenameActivitySet' ? { data: { renameActivitySet: { set: { id: 'set_1', name: 'Switch-over', __typename: 'ActivitySet' } } } } : null,
    );
    await userEvent.tab();
    expect(screen.getByRole('button', { name: 'Rename set Cut-over' })).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    const input = screen.getByLabelText('Set name');
    expect(input).toHaveFocus();
    expect(input).toHaveValue('Cut-over');
    await userEvent.clear(input);
    await userEvent.keyboard('  Switch-over {Enter}');
    await waitFor(() => expect(changed).toHaveBeenCalledWith('Set renamed to “Switch-over”.'));
    expect(sent()).toEqual([{ name: 'RenameActivitySet', variables: { input: { id: 'set_1', name: 'Switch-over' } } }]);
    expect(screen.queryByRole('form')).toBeNull();
  });

  it('cancels a rename with Escape, sending nothing, and gives the focus back', async () => {
    const { changed, sent } = renderHeading(() => null);
    await userEvent.click(screen.getByRole('button', { name: 'Rename set Cut-over' }));
    await userEvent.type(screen.getByLabelText('Set name'), ' (old)');
    await userEvent.keyboard('{Escape}');
    expect(screen.queryByLabelText('Set name')).toBeNull();
    expect(screen.getByRole('button', { name: 'Rename set Cut-over' })).toHaveFocus();
    expect(sent()).toEqual([]);
    expect(changed).not.toHaveBeenCalled();
  });

  it('shows the server refusing a rename: a name error beside the field, a transition error above', async () => {
    let answer = serverError('VALIDATION', 'name: must not be longer than 120 characters', 'name');
    const { changed } = renderHeading((op) => (opName(op) === 'RenameActivitySet' ? answer : null));
    await userEvent.click(screen.getByRole('button', { name: 'Rename set Cut-over' }));
    await userEvent.type(screen.getByLabelText('Set name'), ' 2');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('must not be longer than 120 characters')).toBeInTheDocument();
    expect(screen.getByLabelText('Set name')).toHaveAttribute('aria-invalid', 'true');

    answer = serverError('INVALID_TRANSITION', 'the plan is approved; reopen it to edit');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText(/the plan is approved; reopen it to edit/)).toBeInTheDocument();
    expect(screen.getByLabelText('Set name')).toBeInTheDocument(); // still open, to try again or cancel
    expect(changed).not.toHaveBeenCalled();
  });

  it('deletes a set only after a confirmation saying its activities stay', async () => {
    const confirm = vi.spyOn(window, 'confirm').mockReturnValueOnce(false).mockReturnValueOnce(true);
    const { changed, sent } = renderHeading((op) =>
      opName(op) === 'DeleteActivitySet' ? { data: { deleteActivitySet: { deletedId: 'set_1' } } } : null,
    );
    const del = screen.getByRole('button', { name: 'Delete set Cut-over' });
    await userEvent.click(del);
    expect(confirm).toHaveBeenLastCalledWith('Delete the set “Cut-over”? Its 2 activities stay in the plan, outside any set.');
    expect(sent()).toEqual([]);
    del.focus();
    await userEvent.keyboard('{Enter}');
    await waitFor(() => expect(changed).toHaveBeenCalledWith('Set “Cut-over” deleted; its activities stay in the plan.'));
    expect(sent()).toEqual([{ name: 'DeleteActivitySet', variables: { input: { id: 'set_1' } } }]);
  });

  it('shows why the server refused a delete', async () => {
    vi.spyOn(window, 'confirm').mockReturnValue(true);
    const { changed } = renderHeading((op) =>
      opName(op) === 'DeleteActivitySet' ? serverError('INVALID_TRANSITION', 'only a draft plan can be edited') : null,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Delete set Cut-over' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('only a draft plan can be edited');
    expect(alert.querySelector('[data-code="INVALID_TRANSITION"]')).not.toBeNull();
    expect(changed).not.toHaveBeenCalled();
  });

  it('is only a heading when the plan cannot be edited', () => {
    renderHeading(() => null, false);
    expect(screen.getByRole('heading', { name: 'Cut-over' })).toBeInTheDocument();
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('asks the right question whatever the set holds', () => {
    expect(deleteSetQuestion('A', 0)).toBe('Delete the set “A”? It has no activities.');
    expect(deleteSetQuestion('A', 1)).toBe('Delete the set “A”? Its activity stays in the plan, outside any set.');
  });
});
