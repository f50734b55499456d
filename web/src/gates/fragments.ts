import { graphql } from '../gql';

/** Everything a gate card shows: the gate, its criteria with results and approvals, its RACI. */
export const GateFields = graphql(`
  fragment GateFields on Gate {
    id
    name
    description
    status
    dueAt
    approvalRequestedAt
    decidedAt
    decidedBy
    decisionReason
    phase {
      id
      name
      position
    }
    raci {
      id
      role
      team
      user {
        id
        displayName
      }
    }
    criteria {
      id
      name
      kind
      state
      metric
      comparator
      threshold
      unit
      lastValue
      approverRole
      byAccountable
      quorum
      results {
        id
        value
        passed
        source
        link
        note
        recordedBy
        recordedAt
      }
      approvals {
        id
        decision
        comment
        approverName
        decidedAt
      }
    }
  }
`);

export const RecordResultMutation = graphql(`
  mutation RecordCriterionResult($input: RecordCriterionResultInput!) {
    recordCriterionResult(input: $input) {
      result {
        id
      }
      gate {
        ...GateFields
      }
    }
  }
`);

export const DecideApprovalMutation = graphql(`
  mutation DecideGateApproval($input: DecideApprovalInput!) {
    decideGateApproval(input: $input) {
      approval {
        id
      }
      gate {
        ...GateFields
      }
    }
  }
`);

export const RequestApprovalMutation = graphql(`
  mutation RequestGateApproval($input: DeleteByIdInput!) {
    requestGateApproval(input: $input) {
      gate {
        ...GateFields
      }
    }
  }
`);

export const WaiveGateMutation = graphql(`
  mutation WaiveGate($input: CloseGateInput!) {
    waiveGate(input: $input) {
      gate {
        ...GateFields
      }
    }
  }
`);

export const VetoGateMutation = graphql(`
  mutation VetoGate($input: CloseGateInput!) {
    vetoGate(input: $input) {
      gate {
        ...GateFields
      }
    }
  }
`);

export const ReopenGateMutation = graphql(`
  mutation ReopenGate($input: DeleteByIdInput!) {
    reopenGate(input: $input) {
      gate {
        ...GateFields
      }
    }
  }
`);
