import type { ReactNode } from 'react';
import type { InspectorTab } from '../../app/viewStore';
import { useView } from '../../app/useView';
import { DebugPanel } from './DebugPanel';
import { DeviceMachine } from './DeviceMachine';
import { KernelEpochs } from './KernelEpochs';
import { ResourceLedger } from './ResourceLedger';
import { StepDetails } from './StepDetails';
import { WatchQueueLens } from './WatchQueueLens';

const ALL_TABS: ReadonlyArray<{ id: InspectorTab; label: string; render: () => ReactNode }> = [
  { id: 'step', label: 'Step', render: () => <StepDetails /> },
  { id: 'device', label: 'Device', render: () => <DeviceMachine /> },
  { id: 'watches', label: 'Watch queues', render: () => <WatchQueueLens /> },
  { id: 'kernels', label: 'Kernels', render: () => <KernelEpochs /> },
  { id: 'resources', label: 'Resources', render: () => <ResourceLedger /> },
  { id: 'debug', label: 'Debug', render: () => <DebugPanel /> },
];

/** The inspector: the step just run, the selected device's machines, and the lenses, as tabs. */
export function Inspector() {
  const tab = useView((s) => s.inspectorTab);
  const setTab = useView((s) => s.setInspectorTab);
  // presenter mode and an embedded view leave out the debugger's editing tab
  const editing = useView((s) => !s.present && !s.embed);
  const TABS = editing ? ALL_TABS : ALL_TABS.filter((t) => t.id !== 'debug');
  const current = TABS.find((t) => t.id === tab) ?? TABS[0]!;
  return (
    <div className="inspector">
      <div className="tabs" role="tablist" aria-label="Inspector views">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={t.id === current.id}
            aria-controls="inspector-panel"
            tabIndex={t.id === current.id ? 0 : -1}
            data-testid={`inspector.tab.${t.id}`}
            className="tabs__tab"
            onClick={() => setTab(t.id)}
            onKeyDown={(e) => {
              const i = TABS.findIndex((x) => x.id === current.id);
              if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
                e.stopPropagation();
                e.preventDefault();
                const next = TABS[(i + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length]!;
                setTab(next.id);
                document.getElementById(`tab-${next.id}`)?.focus();
              }
            }}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div
        id="inspector-panel"
        role="tabpanel"
        aria-labelledby={`tab-${current.id}`}
        className="inspector__panel"
      >
        {current.render()}
      </div>
    </div>
  );
}
