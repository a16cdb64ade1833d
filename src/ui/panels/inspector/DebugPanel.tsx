import { BreakpointsPanel } from './BreakpointsPanel';
import { SearchPanel } from './SearchPanel';

/** The debugger's tools: breakpoints, and search over the trace. */
export function DebugPanel() {
  return (
    <div className="debug" data-testid="inspector.debug">
      <BreakpointsPanel />
      <SearchPanel />
    </div>
  );
}
