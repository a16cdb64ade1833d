import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';

/** 'system' follows the operating system's light/dark setting (prefers-color-scheme). */
export type ThemePreference = 'system' | 'light' | 'dark';
export const THEME_PREFERENCES: readonly ThemePreference[] = ['system', 'light', 'dark'];

export interface PreferencesState {
  theme: ThemePreference;
  setTheme: (theme: ThemePreference) => void;
}

export function isThemePreference(value: unknown): value is ThemePreference {
  return typeof value === 'string' && (THEME_PREFERENCES as readonly string[]).includes(value);
}

/** View preferences only (CONVENTIONS.md 10); kept in localStorage across reloads. */
export const usePreferences = create<PreferencesState>()(
  persist(
    (set) => ({
      theme: 'system',
      setTheme: (theme) => set({ theme }),
    }),
    {
      name: 'xenscope.preferences',
      version: 1,
      storage: createJSONStorage(() => localStorage),
      // A hand-edited or corrupt entry must not break the app: keep only what validates.
      merge: (persisted, current) => {
        const theme = (persisted as { theme?: unknown } | undefined)?.theme;
        return isThemePreference(theme) ? { ...current, theme } : current;
      },
    },
  ),
);
