import type { HandoffState } from '../chat/handoff-state.ts';

interface HandoffBannerProps {
  handoff: HandoffState;
  onCancel: () => void;
}

/** Above the input while a person from support is on the way or with the user; cancel goes back to the assistant. */
export function HandoffBanner({ handoff, onCancel }: HandoffBannerProps) {
  return (
    <div className="banner banner-info handoff-banner" role="status">
      <p>
        {handoff.status === 'queued'
          ? `Waiting for a person${handoff.position === undefined ? '' : ` (position ${handoff.position})`}…`
          : `${handoff.agentId ?? 'A person'} from support is with you. Your messages go to them.`}
      </p>
      <button type="button" className="button-secondary" onClick={onCancel}>
        {handoff.status === 'queued' ? 'Cancel' : 'Back to the assistant'}
      </button>
    </div>
  );
}
