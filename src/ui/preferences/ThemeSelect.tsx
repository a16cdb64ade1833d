import { THEME_PREFERENCES, isThemePreference, usePreferences } from './preferencesStore';

const LABELS = { system: 'Follow system', light: 'Light', dark: 'Dark' } as const;

export function ThemeSelect() {
  const theme = usePreferences((s) => s.theme);
  const setTheme = usePreferences((s) => s.setTheme);
  return (
    <label className="control">
      <span className="control__label">Theme</span>
      <select
        data-testid="preferences.theme"
        value={theme}
        onChange={(e) => {
          if (isThemePreference(e.target.value)) setTheme(e.target.value);
        }}
      >
        {THEME_PREFERENCES.map((t) => (
          <option key={t} value={t}>
            {LABELS[t]}
          </option>
        ))}
      </select>
    </label>
  );
}
