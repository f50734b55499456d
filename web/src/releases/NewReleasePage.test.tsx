import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { CombinedError } from 'urql';
import { describe, expect, it } from 'vitest';
import { opName, renderSignedIn } from '../test/utils';
import { NewReleasePage, validateDraft } from './NewReleasePage';

describe('create a release', () => {
  it('shows each VALIDATION error beside the field named by extensions.field', async () => {
    renderSignedIn(<NewReleasePage />, {
      roles: ['RELEASE_MANAGER'],
      answer: (op) =>
        opName(op) === 'CreateRelease'
          ? {
              error: new CombinedError({
                graphQLErrors: [
                  {
                    message: 'key: use capital letters, digits, dots and dashes',
                    extensions: { code: 'VALIDATION', field: 'key' },
                  },
                ],
              }),
            }
          : { data: { releases: { nodes: [], __typename: 'ReleaseConnection' } } },
    });
    await userEvent.type(screen.getByLabelText('Key'), 'bad key');
    await userEvent.type(screen.getByLabelText('Name'), 'Savings goals');
    await userEvent.click(screen.getByRole('button', { name: 'Create release' }));
    const key = screen.getByLabelText('Key');
    await waitFor(() => expect(key).toHaveAttribute('aria-invalid', 'true'));
    expect(key).toHaveAccessibleDescription(/use capital letters, digits, dots and dashes/);
    expect(screen.getByLabelText('Name')).not.toHaveAttribute('aria-invalid');
  });

  it('shows CONFLICT above the form and goes to the new release on success', async () => {
    let attempt = 0;
    renderSignedIn(<NewReleasePage />, {
      roles: ['RELEASE_MANAGER'],
      answer: (op) => {
        if (opName(op) !== 'CreateRelease') return null;
        attempt += 1;
        return attempt === 1
          ? { error: new CombinedError({ graphQLErrors: [{ message: 'release PR-1 already exists', extensions: { code: 'CONFLICT' } }] }) }
          : { data: { createRelease: { release: { id: 'rel_9', key: 'PR-2', status: 'DRAFT', allowedTransitions: ['PLANNED'] } } } };
      },
    });
    await userEvent.type(screen.getByLabelText('Key'), 'PR-1');
    await userEvent.type(screen.getByLabelText('Name'), 'Savings goals');
    await userEvent.click(screen.getByRole('button', { name: 'Create release' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Conflict: release PR-1 already exists');
    await userEvent.click(screen.getByRole('button', { name: 'Create release' }));
    await waitFor(() => expect(screen.getByTestId('location')).toHaveTextContent('/releases/rel_9'));
  });

  it('offers project managers PROJECT releases only', () => {
    renderSignedIn(<NewReleasePage />, { roles: ['PROJECT_MANAGER'], answer: () => null });
    const kind = screen.getByLabelText('Kind');
    expect([...kind.querySelectorAll('option')].map((o) => o.value)).toEqual(['PROJECT']);
    expect(screen.getByLabelText('Enterprise release')).toBeInTheDocument();
  });

  it('checks what the browser can before asking the server', () => {
    const base = { key: 'PR-1', name: 'x', description: '', kind: 'PROJECT' as const, risk: 'LOW' as const, parentId: '', plannedStart: '2027-01-10', plannedGoLive: '2027-01-01' };
    expect(validateDraft(base)).toEqual({ plannedGoLive: 'The go-live cannot be before the start.' });
    expect(Object.keys(validateDraft({ ...base, key: ' ', name: '', plannedGoLive: '2027-02-01' }))).toEqual(['key', 'name']);
  });
});
