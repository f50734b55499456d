import { describe, expect, it } from 'vitest';
import { filterFromParams, orderFromParams } from './ReleaseListPage';

describe('release list filters from the URL', () => {
  it('reads status, kind, search and top-level', () => {
    expect(filterFromParams(new URLSearchParams('status=ACTIVE&kind=PROJECT&q=%20sepa%20&top=1'))).toEqual({
      status: ['PLANNED', 'IN_PROGRESS', 'GO_LIVE'],
      kind: ['PROJECT'],
      search: 'sepa',
      topLevel: true,
    });
  });
  it('ignores values the API does not know', () => {
    expect(filterFromParams(new URLSearchParams('status=NOPE&kind=x'))).toEqual({});
  });
  it('sorts by planned go-live unless told otherwise', () => {
    expect(orderFromParams(new URLSearchParams(''))).toEqual({ field: 'PLANNED_GO_LIVE', direction: 'ASC' });
    expect(orderFromParams(new URLSearchParams('sort=newest'))).toEqual({ field: 'CREATED_AT', direction: 'DESC' });
    expect(orderFromParams(new URLSearchParams('sort=bogus'))).toEqual({ field: 'PLANNED_GO_LIVE', direction: 'ASC' });
  });
});
