interface VersionSwitcherProps {
  /** 0-based. */
  index: number;
  count: number;
  /** Absent while another answer streams: the versions are shown, not switched. */
  onSwitch?: (index: number) => void;
}

/** `< 2/3 >` under a question with other versions (regenerated or edited): shows the one before or after. */
export function VersionSwitcher({ index, count, onSwitch }: VersionSwitcherProps) {
  return (
    <fieldset className="version-switcher" aria-label={`Version ${index + 1} of ${count}`}>
      <button
        type="button"
        className="action-button"
        aria-label="Previous version"
        disabled={!onSwitch || index === 0}
        onClick={() => onSwitch?.(index - 1)}
      >
        ‹
      </button>
      <span className="version-count" aria-hidden="true">
        {index + 1}/{count}
      </span>
      <button
        type="button"
        className="action-button"
        aria-label="Next version"
        disabled={!onSwitch || index === count - 1}
        onClick={() => onSwitch?.(index + 1)}
      >
        ›
      </button>
    </fieldset>
  );
}
