import type { ReactNode } from 'react';

interface BannerProps {
  tone: 'error' | 'info';
  children: ReactNode;
  action?: { label: string; onClick: () => void };
  onDismiss?: () => void;
}

/** A message above the input: an error (announced at once) or a notice, with an optional action. */
export function Banner({ tone, children, action, onDismiss }: BannerProps) {
  return (
    <div className={`banner banner-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      <p>{children}</p>
      {action && (
        <button type="button" className="button-secondary" onClick={action.onClick}>
          {action.label}
        </button>
      )}
      {onDismiss && (
        <button type="button" className="banner-dismiss" aria-label="Dismiss" onClick={onDismiss}>
          ×
        </button>
      )}
    </div>
  );
}
