import { useTimeline } from '../../app/useTimeline';
import { useTraceDerived } from '../../app/useTraceDerived';
import { createLedger, LEDGER_RESOURCES, type LedgerResource } from '../../model/ledger';

const TITLES: Record<LedgerResource, string> = {
  grants: 'grant refs',
  mappedGrants: 'grants mapped',
  evtchns: 'event channels',
  ringSlots: 'ring slots in use',
  driverPages: 'balloon driver_pages',
};

const W = 120;
const H = 18;

/**
 * Grants, event channels, ring slots and balloon pages per domain as running counts with
 * sparklines up to the cursor; a count that does not come back to its baseline (the count before
 * the domain's first teardown) at a later teardown is flagged.
 */
export function ResourceLedger() {
  const cursor = useTimeline((s) => s.cursor);
  const ledger = useTraceDerived(createLedger);
  const flags = ledger.flags(cursor);
  return (
    <div className="ledger" data-testid="inspector.ledger">
      <table>
        <thead>
          <tr>
            <th scope="col">domain</th>
            <th scope="col">resource</th>
            <th scope="col">now</th>
            <th scope="col">baseline</th>
            <th scope="col">over time</th>
          </tr>
        </thead>
        <tbody>
          {ledger.domains.flatMap((domid) =>
            LEDGER_RESOURCES.map((r) => {
              const value = ledger.valueAt(domid, r, cursor);
              const base = ledger.baseline(domid, r);
              if (value === 0 && base === null && ledger.series(domid, r).length === 0) return null;
              const flag = flags.find((f) => f.domid === domid && f.resource === r);
              return (
                <tr
                  key={`${domid}-${r}`}
                  className={flag === undefined ? '' : 'ledger__row--flagged'}
                  data-testid={`ledger.${domid}.${r}`}
                >
                  <td>dom{domid}</td>
                  <td>{TITLES[r]}</td>
                  <td>{value}</td>
                  <td>{base ?? '—'}</td>
                  <td>
                    <svg width={W} height={H} aria-hidden="true">
                      <polyline
                        className="spark"
                        points={ledger.sparkPoints(domid, r, Math.max(1, cursor), W, H - 2)}
                      />
                    </svg>
                    {flag !== undefined && (
                      <span className="ledger__flag" role="note">
                        {flag.delta > 0 ? '+' : ''}
                        {flag.delta} vs baseline at step {flag.at}
                      </span>
                    )}
                  </td>
                </tr>
              );
            }),
          )}
        </tbody>
      </table>
    </div>
  );
}
