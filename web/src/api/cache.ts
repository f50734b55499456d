import { cacheExchange, type Cache, type KeyingConfig, type UpdatesConfig } from '@urql/exchange-graphcache';

/**
 * Types without an `id`: graphcache stores them inside their parent instead of normalising them.
 * A unit test checks this list against schema.graphql, so a new id-less type is not forgotten.
 */
export const EMBEDDED_TYPES = [
  'Me',
  'PageInfo',
  'ConfigEntry',
  'ConfigChange',
  'LoginPayload',
  'LogoutPayload',
  'DeletePayload',
  'CreateApiTokenPayload',
  'ApiTokenPayload',
  'UserPayload',
  'SystemPayload',
  'ReleasePayload',
  'PhasePayload',
  'MilestonePayload',
  'ReleaseImpactPayload',
  'ReleaseDependencyPayload',
  'PackagePayload',
  'EnvironmentPayload',
  'EnvironmentGroupPayload',
  'DeploymentPayload',
  'ReleaseEvent',
  'AuditEventConnection',
  'AuditEventEdge',
  'DeploymentConnection',
  'DeploymentEdge',
  'EnvironmentConnection',
  'EnvironmentEdge',
  'PackageConnection',
  'PackageEdge',
  'ReleaseConnection',
  'ReleaseEdge',
  'SystemConnection',
  'SystemEdge',
  'UserConnection',
  'UserEdge',
  // governance
  'CriterionResultPayload',
  'ApprovalPayload',
  'GatePayload',
  'RaciPayload',
  'AdvancePhasePayload',
  'Blocker',
  'BlockerOwner',
  'PlannedVsActual',
  'TemplateDefinition',
  'TemplatePhase',
  'TemplateMilestone',
  'TemplateGate',
  'CriterionDefinition',
  'TemplateRaci',
  'TemplateActivity',
  // deployment plans and the command centre
  'DeploymentPlanPayload',
  'ActivitySetPayload',
  'ActivityPayload',
  'ActivityStatusPayload',
  'RunPayload',
  'RunIssuePayload',
  'GoLiveStatus',
  'GoLiveUpdate',
  'ActivityCounts',
  'ActivityReport',
  // bookings, blackouts, utilization
  'BookingConnection',
  'BookingEdge',
  'BookingPayload',
  'RequestBookingsPayload',
  'BookingEvent',
  'CalendarLane',
  'NextFreeSlot',
  'FreeSlot',
  'BlackoutPayload',
  'UtilizationReport',
  'EnvironmentUtilization',
  'GroupUtilization',
  'ReleaseUtilization',
  'BookingMatrixCell',
  'EnvironmentComparison',
  'SystemDrift',
  'ConfigDrift',
  // notifications
  'NotificationConnection',
  'NotificationEdge',
  'NotificationEvent',
  'MarkNotificationsReadPayload',
  // webhooks
  'WebhookDeliveryConnection',
  'WebhookDeliveryEdge',
  'CreateWebhookPayload',
  'WebhookPayload',
] as const;

export const keys: KeyingConfig = Object.fromEntries(EMBEDDED_TYPES.map((t) => [t, () => null]));

/** Drops every cached page of a root list, whatever its arguments, so it is fetched again. */
export function invalidateRootField(cache: Cache, fieldName: string): void {
  for (const f of cache.inspectFields('Query')) {
    if (f.fieldName === fieldName) cache.invalidate('Query', f.fieldName, f.arguments ?? undefined);
  }
}

function invalidateEntityField(cache: Cache, typename: string, id: unknown, field: string): void {
  if (typeof id !== 'string') return;
  const key = cache.keyOfEntity({ __typename: typename, id });
  if (!key) return;
  for (const f of cache.inspectFields(key)) {
    if (f.fieldName === field) cache.invalidate(key, f.fieldName, f.arguments ?? undefined);
  }
}

function inputOf(args: Record<string, unknown>): Record<string, unknown> {
  const input = args.input;
  return typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
}

/**
 * After a mutation, the lists it changes are invalidated (refetched by the screens showing
 * them); the changed objects themselves are updated in place by graphcache from the payload.
 */
export const updates: UpdatesConfig = {
  Mutation: {
    createRelease: (_r, _a, cache) => {
      invalidateRootField(cache, 'releases');
    },
    updateRelease: (_r, _a, cache) => {
      invalidateRootField(cache, 'releases');
      invalidateRootField(cache, 'auditEvents');
    },
    deleteRelease: (_r, args, cache) => {
      cache.invalidate({ __typename: 'Release', id: inputOf(args).id as string });
      invalidateRootField(cache, 'releases');
    },
    transitionRelease: (_r, _a, cache) => {
      invalidateRootField(cache, 'releases');
      invalidateRootField(cache, 'auditEvents');
    },
    updatePhase: (_r, _a, cache) => {
      invalidateRootField(cache, 'auditEvents');
    },
    updateMilestone: (_r, _a, cache) => {
      invalidateRootField(cache, 'auditEvents');
    },
    createPackage: (_r, args, cache) => {
      const releaseId = inputOf(args).releaseId;
      invalidateEntityField(cache, 'Release', releaseId, 'packages');
      invalidateEntityField(cache, 'Release', releaseId, 'impacts');
      invalidateRootField(cache, 'packages');
      invalidateRootField(cache, 'auditEvents');
    },
    updatePackage: (_r, _a, cache) => {
      invalidateRootField(cache, 'auditEvents');
    },
    deletePackage: (_r, args, cache) => {
      cache.invalidate({ __typename: 'Package', id: inputOf(args).id as string });
      invalidateRootField(cache, 'packages');
    },
    recordDeployment: (_r, args, cache) => {
      invalidateEntityField(cache, 'Package', inputOf(args).packageId, 'deployments');
      invalidateEntityField(cache, 'Environment', inputOf(args).environmentId, 'deployedVersions');
      invalidateRootField(cache, 'whatRunsWhere');
      invalidateRootField(cache, 'deployments');
    },
    createSystem: (_r, _a, cache) => {
      invalidateRootField(cache, 'systems');
    },
    deleteSystem: (_r, args, cache) => {
      cache.invalidate({ __typename: 'System', id: inputOf(args).id as string });
      invalidateRootField(cache, 'systems');
    },
    updateEnvironment: (_r, _a, cache) => {
      invalidateRootField(cache, 'environments');
    },
    // configureEnvironment: its payload carries the configuration and history the page shows.
    createUser: (_r, _a, cache) => {
      invalidateRootField(cache, 'users');
    },
    createApiToken: (_r, _a, cache) => {
      invalidateRootField(cache, 'apiTokens');
    },
    revokeApiToken: (_r, _a, cache) => {
      invalidateRootField(cache, 'apiTokens');
    },
    // Deployment plans: the root list is filtered by mode, so a plan changing mode moves lists.
    ...Object.fromEntries(
      [
        'createDeploymentPlan',
        'deleteDeploymentPlan',
        'approveDeploymentPlan',
        'reopenDeploymentPlan',
        'startRehearsal',
        'startExecution',
        'abortRun',
      ].map((name) => [name, (_r: unknown, _a: unknown, cache: Cache) => invalidateRootField(cache, 'deploymentPlans')]),
    ),
    // The gates queue lists pending gates only.
    ...Object.fromEntries(
      ['createGate', 'deleteGate', 'recordCriterionResult', 'waiveGate', 'vetoGate', 'reopenGate', 'createReleaseFromTemplate'].map((name) => [
        name,
        (_r: unknown, _a: unknown, cache: Cache) => invalidateRootField(cache, 'gates'),
      ]),
    ),
    // The plan editor reads the plan again; its sets must not point at a removed one meanwhile.
    deleteActivitySet: (_r, args, cache) => {
      cache.invalidate({ __typename: 'ActivitySet', id: inputOf(args).id as string });
    },
    markNotificationsRead: (_r, _a, cache) => {
      invalidateRootField(cache, 'myNotifications');
      invalidateRootField(cache, 'unreadNotificationCount');
    },
  },
};

export function createCacheExchange() {
  return cacheExchange({ keys, updates });
}
