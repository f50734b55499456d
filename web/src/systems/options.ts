import { graphql } from '../gql';

/** Systems for pickers (the portfolio has tens of systems; one page of 100). */
export const SystemOptionsQuery = graphql(`
  query SystemOptions {
    systems(first: 100, orderBy: { field: CODE }) {
      nodes {
        id
        code
        name
      }
    }
  }
`);
