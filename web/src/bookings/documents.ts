import { graphql } from '../gql';

export const BookingFields = graphql(`
  fragment BookingFields on Booking {
    id
    status
    purpose
    startsAt
    endsAt
    requestedByName
    requestedAt
    decidedByName
    decidedAt
    decisionComment
    waitlistPosition
    blackoutOverrideReason
    environment {
      id
      name
      tier
      capacity
    }
    release {
      id
      key
      name
    }
    phase {
      id
      name
    }
  }
`);

export const BookingWithConflictsFields = graphql(`
  fragment BookingWithConflictsFields on Booking {
    ...BookingFields
    conflicts {
      ...BookingFields
    }
  }
`);

export const BookingCalendarQuery = graphql(`
  query BookingCalendar($filter: BookingCalendarFilter!) {
    bookingCalendar(filter: $filter) {
      environment {
        id
        name
        tier
        capacity
        status
        group {
          id
          name
        }
      }
      bookings {
        ...BookingWithConflictsFields
      }
      blackouts {
        id
        name
        startsAt
        endsAt
        orgWide
      }
    }
    environmentGroups {
      id
      name
    }
  }
`);

export const BookingQueueQuery = graphql(`
  query BookingQueue($filter: BookingFilter!) {
    bookings(filter: $filter, first: 100, orderBy: { field: STARTS_AT, direction: ASC }) {
      totalCount
      nodes {
        ...BookingWithConflictsFields
      }
    }
  }
`);

export const ConflictingNodesQuery = graphql(`
  query ConflictingNodes($ids: [ID!]!) {
    nodes(ids: $ids) {
      __typename
      id
      ... on Booking {
        ...BookingFields
      }
      ... on Blackout {
        name
        startsAt
        endsAt
      }
    }
  }
`);

export const ApproveBookingMutation = graphql(`
  mutation ApproveBooking($input: ApproveBookingInput!) {
    approveBooking(input: $input) {
      booking {
        ...BookingWithConflictsFields
      }
    }
  }
`);

export const RejectBookingMutation = graphql(`
  mutation RejectBooking($input: RejectBookingInput!) {
    rejectBooking(input: $input) {
      booking {
        ...BookingWithConflictsFields
      }
    }
  }
`);

export const WaitlistBookingMutation = graphql(`
  mutation WaitlistBooking($input: WaitlistBookingInput!) {
    waitlistBooking(input: $input) {
      booking {
        ...BookingWithConflictsFields
      }
    }
  }
`);

export const CancelBookingMutation = graphql(`
  mutation CancelBooking($input: CancelBookingInput!) {
    cancelBooking(input: $input) {
      booking {
        ...BookingWithConflictsFields
      }
    }
  }
`);

export const RequestBookingsMutation = graphql(`
  mutation RequestBookings($input: RequestBookingsInput!) {
    requestBookings(input: $input) {
      bookings {
        ...BookingWithConflictsFields
      }
    }
  }
`);

export const BookingEventsSubscription = graphql(`
  subscription BookingEvents {
    bookingEvents {
      action
      entityId
      environmentId
      resyncRequired
    }
  }
`);

export const BlackoutsQuery = graphql(`
  query Blackouts($filter: BlackoutFilter) {
    blackouts(filter: $filter) {
      id
      name
      description
      startsAt
      endsAt
      timeZone
      localStartsAt
      localEndsAt
      orgWide
      createdByName
      environments {
        id
        name
      }
      systems {
        id
        code
      }
    }
  }
`);

export const CreateBlackoutMutation = graphql(`
  mutation CreateBlackout($input: CreateBlackoutInput!) {
    createBlackout(input: $input) {
      blackout {
        id
        name
      }
    }
  }
`);

export const DeleteBlackoutMutation = graphql(`
  mutation DeleteBlackout($input: DeleteByIdInput!) {
    deleteBlackout(input: $input) {
      deletedId
    }
  }
`);

export const EnvironmentOptionsQuery = graphql(`
  query EnvironmentOptions {
    environments(first: 100, orderBy: { field: NAME }) {
      nodes {
        id
        name
        tier
        status
        capacity
        group {
          id
          name
        }
      }
    }
  }
`);

export const UtilizationQuery = graphql(`
  query Utilization($filter: UtilizationFilter!) {
    environmentUtilization(filter: $filter) {
      from
      to
      environments {
        environment {
          id
          name
          tier
          capacity
        }
        bookedHours
        availableHours
        utilization
        bookings
      }
      groups {
        group {
          id
          name
        }
        bookedHours
        availableHours
        utilization
        environments
      }
      releases {
        release {
          id
          key
          name
        }
        bookedHours
        bookings
        environments
      }
    }
  }
`);

export const BookingMatrixQuery = graphql(`
  query BookingMatrix($filter: BookingMatrixFilter!) {
    bookingMatrix(filter: $filter) {
      environment {
        id
        name
        tier
      }
      release {
        id
        key
        name
      }
      approved
      requested
      waitlisted
      offered
      rejected
      cancelled
    }
  }
`);

export const IdleBookingsQuery = graphql(`
  query IdleBookings($filter: IdleBookingsFilter, $first: Int!, $after: String) {
    idleBookings(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        ...BookingFields
      }
    }
  }
`);
