// UI strings of the widget, one catalogue per supported language.
// The bot's own wording comes from the bot; these are only the widget's chrome.
import ar from "./ar.json";
import en from "./en.json";
import fr from "./fr.json";
import nb from "./nb.json";
import nl from "./nl.json";
import sv from "./sv.json";

export const CATALOGUES = { en, fr, nb, nl, sv, ar };

// Norwegian Nynorsk and the macro-language code count as Bokmål.
const ALIASES = { nn: "nb", no: "nb" };

/** Maps a BCP 47 tag ("fr-CA", "nn-NO", "ar") to a supported catalogue code. */
export function uiLanguage(tag) {
  const base = String(tag || "")
    .toLowerCase()
    .split(/[-_]/)[0];
  const code = ALIASES[base] || base;
  return Object.prototype.hasOwnProperty.call(CATALOGUES, code) ? code : "en";
}

/** The catalogue for a tag; English fills any key a catalogue lacks. */
export function catalogue(tag) {
  const code = uiLanguage(tag);
  return { code, strings: { ...en, ...CATALOGUES[code] } };
}
