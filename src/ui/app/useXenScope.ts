import { useContext } from 'react';
import { XenScopeContext } from './XenScopeContext';
import type { XenScope } from './xenscope';

/** The page's XenScope (stores, operations); throws outside the provider. */
export function useXenScope(): XenScope {
  const app = useContext(XenScopeContext);
  if (app === null) throw new Error('useXenScope: no XenScopeContext provider');
  return app;
}
