import { useEffect } from 'react';
import { usePreferences } from './preferencesStore';

/**
 * Mirrors the theme preference onto <html data-theme>. With 'system' the attribute is removed and the
 * stylesheet follows prefers-color-scheme.
 */
export function useAppliedTheme(): void {
  const theme = usePreferences((s) => s.theme);
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
  }, [theme]);
}
