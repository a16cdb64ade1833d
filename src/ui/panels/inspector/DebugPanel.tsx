import { BreakpointsPanel } from './BreakpointsPanel';
import { ComparePicker } from './ComparePicker';
import { InterleavingPanel } from './InterleavingPanel';
import { LintPanel } from './LintPanel';
import { SearchPanel } from './SearchPanel';

/** The debugger's tools: protocol lint, breakpoints, manual interleaving, search, compare mode. */
export function DebugPanel() {
  return (
    <div className="debug" data-testid="inspector.debug">
      <LintPanel />
      <BreakpointsPanel />
      <InterleavingPanel />
      <SearchPanel />
      <ComparePicker />
    </div>
  );
}
