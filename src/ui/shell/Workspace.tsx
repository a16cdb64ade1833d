import type { ReactNode } from 'react';
import { SequenceChart } from '../panels/chart/SequenceChart';
import { Inspector } from '../panels/inspector/Inspector';
import { StoreView } from '../panels/store/StoreView';
import { WorldMap } from '../panels/world/WorldMap';
import { useTimeline } from '../app/useTimeline';
import { useView } from '../app/useView';
import { CompareView } from '../panels/compare/CompareView';
import { Region } from './Region';
import { REGIONS, type RegionSpec } from './regions';

const PANELS: Partial<Record<RegionSpec['id'], () => ReactNode>> = {
  'world-map': () => <WorldMap />,
  'store-view': () => <StoreView />,
  'sequence-chart': () => <ChartOrCompare />,
  inspector: () => <Inspector />,
};

/** The timeline, or in compare mode the two runs aligned. */
function ChartOrCompare() {
  const comparing = useView((s) => s.compareWith !== null);
  return comparing ? <CompareView /> : <SequenceChart />;
}

/** The four panels in reading order; each says what it will show while no scenario is open. */
export function Workspace() {
  const open = useTimeline((s) => s.request !== null);
  return (
    <main className="workspace" aria-label="Workspace">
      {REGIONS.map((spec) => (
        <Region key={spec.id} spec={spec}>
          {open ? PANELS[spec.id]?.() : undefined}
        </Region>
      ))}
    </main>
  );
}
