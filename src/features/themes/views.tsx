import { SelectField } from '../../lib/forms.tsx';
import { labelOf } from '../../lib/labels.ts';
import { THEME_LABELS } from './labels.ts';

/** The theme select's options, in the labels' order. */
export const THEME_OPTIONS = Object.entries(THEME_LABELS);

/** The theme select of a directory. */
export function ThemeField({ value }: { value?: string | undefined }) {
  return (
    <SelectField
      name="theme"
      label="Thème"
      value={value}
      options={THEME_OPTIONS}
      placeholder="Tous les thèmes"
    />
  );
}

/** Theme labels as DSFR tags. */
export function ThemeTags({ themes }: { themes: readonly string[] }) {
  if (themes.length === 0) return null;
  return (
    <ul class="fr-tags-group">
      {themes.map((theme) => (
        <li>
          <p class="fr-tag fr-tag--sm">{labelOf(THEME_LABELS, theme)}</p>
        </li>
      ))}
    </ul>
  );
}
