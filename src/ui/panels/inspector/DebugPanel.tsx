import { BreakpointsPanel } from './BreakpointsPanel';
import { ComparePicker } from './ComparePicker';
import { SearchPanel } from './SearchPanel';

/** The debugger's tools: breakpoints, search over the trace, compare mode. */
export function DebugPanel() {
  return (
    <div className="debug" data-testid="inspector.debug">
      <BreakpointsPanel />
      <SearchPanel />
      <ComparePicker />
    </div>
  );
}
