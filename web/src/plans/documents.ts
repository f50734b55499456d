import { graphql } from '../gql';

export const StartRehearsalMutation = graphql(`
  mutation StartRehearsal($input: StartRunInput!) {
    startRehearsal(input: $input) {
      run {
        id
        kind
        status
        startedAt
      }
    }
  }
`);

export const StartExecutionMutation = graphql(`
  mutation StartExecution($input: StartRunInput!) {
    startExecution(input: $input) {
      run {
        id
        kind
        status
        startedAt
      }
    }
  }
`);

export const AbortRunMutation = graphql(`
  mutation AbortRun($input: AbortRunInput!) {
    abortRun(input: $input) {
      plan {
        id
        mode
      }
    }
  }
`);
