import { render, screen } from '@testing-library/react';
import { CombinedError } from 'urql';
import { describe, expect, it } from 'vitest';
import { ErrorBanner, ErrorState } from './states';

describe('error display', () => {
  it('titles each problem by its code and shows the server message', () => {
    const error = new CombinedError({
      graphQLErrors: [
        { message: 'you may not manage environments', extensions: { code: 'FORBIDDEN' } },
        { message: 'no release rel_x', extensions: { code: 'NOT_FOUND' } },
      ],
    });
    render(<ErrorBanner error={error} />);
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('Not allowed: you may not manage environments');
    expect(alert).toHaveTextContent('Not found: no release rel_x');
  });

  it('renders nothing without an error', () => {
    const { container } = render(<ErrorBanner error={null} />);
    expect(container).toBeEmptyDOMElement();
  });

  it('offers to try again', () => {
    let retried = false;
    render(<ErrorState error={new CombinedError({ networkError: new Error('Failed to fetch') })} onRetry={() => (retried = true)} />);
    expect(screen.getByRole('alert')).toHaveTextContent('Connection problem');
    screen.getByRole('button', { name: 'Try again' }).click();
    expect(retried).toBe(true);
  });
});
