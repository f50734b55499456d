import { humanize } from './format';

type Tone = 'neutral' | 'info' | 'success' | 'warning' | 'danger' | 'accent';

const TONES: Record<string, Tone> = {
  // release status
  DRAFT: 'neutral',
  PLANNED: 'info',
  IN_PROGRESS: 'accent',
  GO_LIVE: 'warning',
  RELEASED: 'success',
  CANCELLED: 'neutral',
  ROLLED_BACK: 'danger',
  // risk
  LOW: 'success',
  MEDIUM: 'info',
  HIGH: 'warning',
  CRITICAL: 'danger',
  // environment status
  AVAILABLE: 'success',
  MAINTENANCE: 'warning',
  DOWN: 'danger',
  // package / deployment status
  READY: 'info',
  DEPLOYED: 'success',
  SUCCEEDED: 'success',
  FAILED: 'danger',
};

/** A coloured label for an enum value; the text always says it, colour only helps. */
export function Badge({ value, label, title }: { value: string; label?: string; title?: string }) {
  const tone = TONES[value] ?? 'neutral';
  return (
    <span className={`badge badge--${tone}`} title={title} data-value={value}>
      {label ?? humanize(value)}
    </span>
  );
}

export function RiskBadge({ risk }: { risk: string }) {
  return <Badge value={risk} label={`${humanize(risk)} risk`} />;
}
