import type { UsageFrame, UsageReport } from '../../../src/protocol/server-frame.ts';

/** Tokens and estimated cost of this chat and of the user's day (from `getUsage`). */
export function UsageSummary({ usage }: { usage?: UsageFrame }) {
  if (!usage) return null;
  const today = usage.today ?? usage.user;
  return (
    <p className="usage-summary">
      {usage.session && <span>This chat: {describe(usage.session)}</span>}
      <span>
        {usage.today ? 'Today' : 'All chats'}: {describe(today)}
      </span>
    </p>
  );
}

function describe(report: UsageReport): string {
  return `${report.totalTokens.toLocaleString('en-US')} tokens · ~$${report.estimatedCostUsd.toFixed(4)}`;
}
