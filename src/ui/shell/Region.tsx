import type { ReactNode } from 'react';
import type { RegionSpec } from './regions';

interface RegionProps {
  spec: RegionSpec;
  children?: ReactNode;
  /** shown alone; the button restores the four panels */
  maximized?: boolean;
  /** the maximize / restore button's action (absent: no button) */
  onToggleMaximized?: () => void;
}

/**
 * A labelled landmark panel. The body is focusable so keyboard users can reach it and scroll it;
 * the heading names the landmark for screen readers.
 */
export function Region({ spec, children, maximized = false, onToggleMaximized }: RegionProps) {
  const headingId = `${spec.id}-heading`;
  return (
    <section
      id={spec.id}
      className="region"
      style={maximized ? undefined : { gridArea: spec.id }}
      aria-labelledby={headingId}
      data-testid={spec.testId}
      tabIndex={0}
    >
      <div className="region__head">
        <h2 id={headingId} className="region__title">
          {spec.title}
        </h2>
        {onToggleMaximized !== undefined && (
          <button
            type="button"
            className="region__maximize"
            data-testid={`${spec.testId}.maximize`}
            aria-pressed={maximized}
            title={maximized ? 'Show all four panels' : `Show the ${spec.title.toLowerCase()} alone`}
            onClick={onToggleMaximized}
          >
            {maximized ? 'Restore' : 'Maximize'}
          </button>
        )}
      </div>
      <div
        className={children !== undefined && spec.flush ? 'region__body region__body--flush' : 'region__body'}
      >
        {children ?? <EmptyRegion spec={spec} />}
      </div>
    </section>
  );
}

/** What a panel says while nothing is loaded into it: its purpose, never invented data. */
function EmptyRegion({ spec }: { spec: RegionSpec }) {
  return (
    <p className="region__empty" data-testid={`${spec.testId}.empty`}>
      Nothing to show yet. This panel will show {spec.purpose} Choose a scenario above to open one.
    </p>
  );
}
