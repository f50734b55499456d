import { graphql } from '../gql';

export const PlanEditorQuery = graphql(`
  query PlanEditor($id: ID!) {
    deploymentPlan(id: $id) {
      id
      name
      mode
      windowStart
      windowEnd
      approvedBy
      approvedAt
      release {
        id
        key
        name
        status
        kind
      }
      sets {
        id
        name
        position
      }
      activities {
        id
        title
        description
        kind
        ownerTeam
        owner {
          id
          displayName
        }
        plannedOffsetMinutes
        plannedDurationMinutes
        position
        set {
          id
        }
        dependsOn {
          id
          title
        }
      }
      currentRun {
        id
        kind
        status
      }
      runs {
        id
        kind
        status
        startedAt
        finishedAt
        startedBy
        deadline
      }
      raci {
        id
        role
        subjectType
        subjectId
        team
        user {
          id
          displayName
        }
      }
      status {
        plannedFinish
        projectedFinish
        deadline
        criticalPath
        activities {
          ...LiveActivityFields
        }
      }
    }
  }
`);

export const UpdatePlanMutation = graphql(`
  mutation UpdateDeploymentPlan($input: UpdateDeploymentPlanInput!) {
    updateDeploymentPlan(input: $input) {
      plan {
        id
        name
        windowStart
        windowEnd
      }
    }
  }
`);

export const AddSetMutation = graphql(`
  mutation AddActivitySet($input: AddActivitySetInput!) {
    addActivitySet(input: $input) {
      set {
        id
        name
        position
      }
    }
  }
`);

export const RenameSetMutation = graphql(`
  mutation RenameActivitySet($input: RenameActivitySetInput!) {
    renameActivitySet(input: $input) {
      set {
        id
        name
      }
    }
  }
`);

export const DeleteSetMutation = graphql(`
  mutation DeleteActivitySet($input: DeleteByIdInput!) {
    deleteActivitySet(input: $input) {
      deletedId
    }
  }
`);

export const AddActivityMutation = graphql(`
  mutation AddActivity($input: AddActivityInput!) {
    addActivity(input: $input) {
      activity {
        id
        title
      }
    }
  }
`);

export const UpdateActivityMutation = graphql(`
  mutation UpdateActivity($input: UpdateActivityInput!) {
    updateActivity(input: $input) {
      activity {
        id
        title
      }
    }
  }
`);

export const DeleteActivityMutation = graphql(`
  mutation DeleteActivity($input: DeleteByIdInput!) {
    deleteActivity(input: $input) {
      deletedId
    }
  }
`);

export const ApprovePlanMutation = graphql(`
  mutation ApproveDeploymentPlan($input: PlanIdInput!) {
    approveDeploymentPlan(input: $input) {
      plan {
        id
        mode
        approvedBy
        approvedAt
      }
    }
  }
`);

export const ReopenPlanMutation = graphql(`
  mutation ReopenDeploymentPlan($input: PlanIdInput!) {
    reopenDeploymentPlan(input: $input) {
      plan {
        id
        mode
        approvedBy
        approvedAt
      }
    }
  }
`);

export const PlansOverviewQuery = graphql(`
  query PlansOverview($modes: [PlanMode!]!) {
    deploymentPlans(modes: $modes) {
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
        plannedGoLive
      }
      currentRun {
        id
        kind
        status
      }
      status {
        progress
        atRisk
        counts {
          done
          skipped
          total
        }
      }
    }
  }
`);
