import { BreakpointsPanel } from './BreakpointsPanel';
import { ComparePicker } from './ComparePicker';
import { LintPanel } from './LintPanel';
import { SearchPanel } from './SearchPanel';

/** The debugger's tools: protocol lint, breakpoints, search over the trace, compare mode. */
export function DebugPanel() {
  return (
    <div className="debug" data-testid="inspector.debug">
      <LintPanel />
      <BreakpointsPanel />
      <SearchPanel />
      <ComparePicker />
    </div>
  );
}
