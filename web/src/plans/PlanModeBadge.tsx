import type { PlanMode } from '../gql/graphql';
import { Badge } from '../ui/Badge';
import { humanize } from '../ui/format';

const TONE: Record<PlanMode, string> = {
  DRAFT: 'DRAFT',
  APPROVED: 'PLANNED',
  REHEARSAL: 'IN_PROGRESS',
  EXECUTING: 'GO_LIVE',
  COMPLETED: 'SUCCEEDED',
  ABORTED: 'FAILED',
};

export function PlanModeBadge({ mode }: { mode: PlanMode }) {
  return <Badge value={TONE[mode]} label={humanize(mode)} title={`Plan ${humanize(mode).toLowerCase()}`} />;
}
