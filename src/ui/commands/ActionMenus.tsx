import { useWorldAt } from '../app/useWorldAt';
import { useView } from '../app/useView';
import { useXenScope } from '../app/useXenScope';
import { CommandButton } from './CommandButton';
import { COMMANDS } from './commands';

/**
 * The simulator's user actions and faults, on the target domain. Each is a command; a disclosure
 * keeps the banner short.
 */
export function ActionMenus() {
  const app = useXenScope();
  const target = useView((s) => s.targetDomid);
  const guests = useWorldAt((w) => (w === null ? [] : [...w.hv.domains.keys()].filter((d) => d !== 0)));
  const domids = [...new Set([...guests, target, Math.max(0, ...guests) + 1])].sort((a, b) => a - b);
  return (
    <div className="actions" role="group" aria-label="Actions">
      <label className="control">
        <span className="control__label">Domain</span>
        <select
          data-testid="actions.domain"
          value={target}
          onChange={(e) => app.view.getState().setTargetDomid(Number(e.target.value))}
        >
          {domids.map((d) => (
            <option key={d} value={d}>
              dom{d}
              {guests.includes(d) ? '' : ' (new)'}
            </option>
          ))}
        </select>
      </label>
      <details className="menu" data-testid="actions.menu">
        <summary>Actions</summary>
        <div className="menu__items">
          {COMMANDS.filter((c) => c.group === 'action').map((c) => (
            <CommandButton key={c.name} name={c.name} />
          ))}
        </div>
      </details>
      <details className="menu" data-testid="faults.menu">
        <summary>Faults</summary>
        <div className="menu__items">
          {COMMANDS.filter((c) => c.group === 'fault').map((c) => (
            <CommandButton key={c.name} name={c.name} />
          ))}
        </div>
      </details>
    </div>
  );
}
