import { graphql } from '../gql';

export const LiveActivityFields = graphql(`
  fragment LiveActivityFields on LiveActivity {
    id
    title
    kind
    status
    ownerId
    ownerName
    ownerTeam
    setId
    dependsOn
    plannedStart
    plannedFinish
    projectedStart
    projectedFinish
    startedAt
    finishedAt
    critical
    decision
    decidedBy
    updatedBy
    note
  }
`);

export const RunIssueFields = graphql(`
  fragment RunIssueFields on RunIssue {
    id
    title
    description
    severity
    resolved
    resolution
    activityId
    raisedBy
    raisedAt
    resolvedAt
  }
`);

export const GoLiveSubscription = graphql(`
  subscription GoLiveStatus($planId: ID!) {
    goLiveStatus(planId: $planId) {
      kind
      version
      resync
      planId
      planMode
      run {
        id
        kind
        status
        startedAt
        finishedAt
        startedBy
        deadline
      }
      progress
      plannedFinish
      projectedFinish
      deadline
      atRisk
      criticalPath
      counts {
        pending
        ready
        inProgress
        done
        failed
        skipped
        blocked
        total
      }
      activities {
        ...LiveActivityFields
      }
      issues {
        ...RunIssueFields
      }
    }
  }
`);

/** The plan around the live state: names, window, release, who decides. */
export const CommandCentrePlanQuery = graphql(`
  query CommandCentrePlan($id: ID!) {
    deploymentPlan(id: $id) {
      id
      name
      mode
      windowStart
      windowEnd
      release {
        id
        key
        name
        status
      }
      sets {
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
    }
  }
`);

export const UpdateActivityStatusMutation = graphql(`
  mutation UpdateActivityStatus($input: UpdateActivityStatusInput!) {
    updateActivityStatus(input: $input) {
      activityId
      status
      plan {
        id
        mode
      }
    }
  }
`);

export const DecideActivityMutation = graphql(`
  mutation DecideActivity($input: DecideActivityInput!) {
    decideActivity(input: $input) {
      activityId
      status
      plan {
        id
        mode
      }
    }
  }
`);

export const RaiseRunIssueMutation = graphql(`
  mutation RaiseRunIssue($input: RaiseRunIssueInput!) {
    raiseRunIssue(input: $input) {
      issue {
        ...RunIssueFields
      }
    }
  }
`);

export const ResolveRunIssueMutation = graphql(`
  mutation ResolveRunIssue($input: ResolveRunIssueInput!) {
    resolveRunIssue(input: $input) {
      issue {
        ...RunIssueFields
      }
    }
  }
`);
