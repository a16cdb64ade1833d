import type { ReactNode } from 'react';
import { SequenceChart } from '../panels/chart/SequenceChart';
import { Inspector } from '../panels/inspector/Inspector';
import { StoreView } from '../panels/store/StoreView';
import { WorldMap } from '../panels/world/WorldMap';
import { useTimeline } from '../app/useTimeline';
import { useView } from '../app/useView';
import { useXenScope } from '../app/useXenScope';
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

/**
 * The four panels in reading order, or the maximized one alone; each says what it will show while
 * no scenario is open. Presenter mode enlarges the world map; an embedded view has no panel buttons.
 */
export function Workspace() {
  const app = useXenScope();
  const open = useTimeline((s) => s.request !== null);
  const maximized = useView((s) => s.maximized);
  const present = useView((s) => s.present);
  const embed = useView((s) => s.embed);
  const shown = maximized === null ? REGIONS : REGIONS.filter((r) => r.id === maximized);
  const className = [
    'workspace',
    maximized !== null ? 'workspace--maximized' : '',
    present ? 'workspace--present' : '',
  ]
    .filter(Boolean)
    .join(' ');
  return (
    <main className={className} aria-label="Workspace" data-maximized={maximized ?? ''}>
      {shown.map((spec) => (
        <Region
          key={spec.id}
          spec={spec}
          maximized={maximized === spec.id}
          {...(embed || present
            ? {}
            : {
                onToggleMaximized: () =>
                  app.view.getState().setMaximized(maximized === spec.id ? null : spec.id),
              })}
        >
          {open ? PANELS[spec.id]?.() : undefined}
        </Region>
      ))}
    </main>
  );
}
