// Light or dark: the system's choice unless the toggle or the link (`theme=`)
// says otherwise; the choice made with the toggle is kept in this browser.

import { $ } from './dom.js';
import { scheduleHash } from './share.js';

const darkQuery = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
/** "dark" | "light" when chosen (button or link); null follows the system. */
let chosenTheme = null;

export const chosen = () => chosenTheme;

export function effectiveTheme() {
  return chosenTheme || (darkQuery?.matches ? 'dark' : 'light');
}

export function setTheme(theme, remember) {
  chosenTheme = theme === 'dark' || theme === 'light' ? theme : null;
  if (chosenTheme) document.documentElement.dataset.theme = chosenTheme;
  else delete document.documentElement.dataset.theme;
  const dark = effectiveTheme() === 'dark';
  const button = $('#theme-toggle');
  // A toggle: one name, its state in aria-pressed (and the filled look).
  button.setAttribute('aria-pressed', dark ? 'true' : 'false');
  button.title = dark ? 'Dark mode is on: switch to light' : 'Dark mode is off: switch to dark';
  if (remember) {
    try { localStorage.setItem('netanomaly.theme', chosenTheme || ''); } catch { /* not kept */ }
  }
  scheduleHash();
}

export function wireTheme() {
  $('#theme-toggle').addEventListener('click', () => setTheme(effectiveTheme() === 'dark' ? 'light' : 'dark', true));
  darkQuery?.addEventListener?.('change', () => { if (!chosenTheme) setTheme(null, false); });
  // The link's theme wins later (applyHash); else the one chosen here before, else the system's.
  let saved = null;
  try { saved = localStorage.getItem('netanomaly.theme'); } catch { /* none */ }
  setTheme(saved, false);
}
