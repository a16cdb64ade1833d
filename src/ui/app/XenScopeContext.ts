import { createContext } from 'react';
import type { XenScope } from './xenscope';

/** The page's XenScope, provided once by App. */
export const XenScopeContext = createContext<XenScope | null>(null);
