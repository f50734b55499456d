import { graphql } from '../gql';

export const NotificationFields = graphql(`
  fragment NotificationFields on Notification {
    id
    kind
    title
    body
    createdAt
    readAt
    subjectType
    subjectId
    release {
      id
      key
    }
  }
`);

export const UnreadNotificationCountQuery = graphql(`
  query UnreadNotificationCount {
    unreadNotificationCount
  }
`);

export const NotificationsSubscription = graphql(`
  subscription Notifications {
    notifications {
      notification {
        ...NotificationFields
      }
      resyncRequired
    }
  }
`);

export const MyNotificationsQuery = graphql(`
  query MyNotifications($unreadOnly: Boolean!, $first: Int!, $after: String) {
    myNotifications(unreadOnly: $unreadOnly, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...NotificationFields
      }
    }
  }
`);

export const MarkNotificationsReadMutation = graphql(`
  mutation MarkNotificationsRead($input: MarkNotificationsReadInput!) {
    markNotificationsRead(input: $input) {
      marked
    }
  }
`);

/** The plans of the activities notifications are about, for links to their command centres. */
export const ActivityPlansQuery = graphql(`
  query NotificationActivityPlans($ids: [ID!]!) {
    nodes(ids: $ids) {
      __typename
      ... on Activity {
        id
        plan {
          id
        }
      }
    }
  }
`);
