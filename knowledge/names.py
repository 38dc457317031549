"""Name normalisation and the in-memory fuzzy name index.

Names are compared after folding (``knowledge.text.fold``). Two lookups share the index:

- Each word of the query is matched against the vocabulary of name words: exactly, within one
  edit (symmetric-delete lookup, so transpositions too), or as a prefix of at least five letters.
  Adjacent query words are also tried joined ("euro metropolis" → "eurometropolis"), and every
  short name is also a vocabulary key without its spaces, so spacing does not matter.
- Word postings (numpy arrays of name-form numbers) are summed with ``np.bincount`` weighted by
  inverse document frequency × similarity, so words that occur in many names ("hub", "call")
  count little and the cost barely grows with the number of names.
- ``search(text)``: one name typed by a person; the best few dozen forms are re-scored with
  RapidFuzz (whole-string, token and partial similarity).
- ``mentions(message)``: names inside a chat message; a form scores by how much of its
  distinctive words the message covers.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein
from rapidfuzz.process import extract, extractOne

from knowledge.text import fold

_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sta": "santa", "s:t": "sankt"}
#: words at least this long are also matched loosely (RapidFuzz ratio from LONG_WORD_RATIO)
LONG_WORD = 8
LONG_WORD_RATIO = 82.0
#: a typed word of at most SHORT_WORD letters matches another word only one edit away
#: ("Vosz" → Voss), not two ("نداء", a call, is not "كندا", Canada)
SHORT_WORD = 4
#: a word this long that matches nothing may be a compound of name words, each part this long
COMPOUND_WORD = 9
COMPOUND_PART = 4
COMPOUND_SIMILARITY = 0.75
#: letters that join the parts of a compound ("innovasjons-arena", "nærings-hage")
LINKING_LETTERS = "se"

# Arabic writes "the", "and the", "with the", "for the" as prefixes: "الكلسترات" is "كلسترات".
_ARABIC_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال")


def normal_token(token: str) -> str:
    """One folded word as it is compared: abbreviations spelt out, Arabic article removed."""
    for prefix in _ARABIC_PREFIXES:
        if token.startswith(prefix) and len(token) - len(prefix) >= 3:
            return token[len(prefix) :]
    return _ABBREVIATIONS.get(token, token)


def tokens(text: str) -> list[str]:
    """Folded words of a text, common abbreviations spelt out ("st" → "saint")."""
    return [normal_token(tok) for tok in fold(text).split()]


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Function words of the six languages that never identify a name on their own."""
    path = Path(__file__).with_name("stopwords.txt")
    words: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0]
        words.update(fold(line).split())
    return frozenset(words)


def stem(token: str) -> str:
    """A crude cross-language stem: the first six letters ("logistics", "logistikk" → "logist")."""
    return token[:6]


@dataclass(frozen=True)
class Entry:
    """One record a name belongs to."""

    kind: str
    id: str
    name: str  # display name (original spelling)
    country: str | None = None  # ISO code the record belongs to, for context in messages
    source_id: str | None = None  # the source document of the record
    subkind: str | None = None  # an organisation's kind, a place's kind, person or desk
    year: int | None = None  # a call's year


@dataclass(frozen=True)
class Hit:
    """A scored index hit, before it becomes a query ``Match``."""

    kind: str
    id: str
    name: str
    score: float
    matched: str  # the name form that matched
    source_id: str | None = None
    subkind: str | None = None
    country: str | None = None
    year: int | None = None


def _deletes(token: str) -> set[str]:
    return {token[:i] + token[i + 1 :] for i in range(len(token))}


class NameIndex:
    """Immutable fuzzy index over (record, name form) pairs; build once per KB revision."""

    #: forms re-scored with RapidFuzz per search
    RESCORE = 24
    #: forms scored per mention lookup
    MENTION_CANDIDATES = 200

    def __init__(self, forms: Iterable[tuple[Entry, str]]) -> None:
        self.entries: list[Entry] = []
        self._entry_ids: dict[tuple[str, str], int] = {}
        self.form_entry: list[int] = []
        self.form_text: list[str] = []
        self.form_tokens: list[tuple[str, ...]] = []
        self.form_compact: list[str] = []
        self._stop = stop = stopwords()
        word_forms: dict[str, list[int]] = defaultdict(list)
        joined: dict[str, list[int]] = defaultdict(list)
        seen: set[tuple[int, str]] = set()
        for entry, form in forms:
            toks = tuple(tokens(form))
            if not toks:
                continue
            key = (entry.kind, entry.id)
            eidx = self._entry_ids.get(key)
            if eidx is None:
                eidx = self._entry_ids[key] = len(self.entries)
                self.entries.append(entry)
            norm = " ".join(toks)
            if (eidx, norm) in seen:
                continue
            seen.add((eidx, norm))
            fidx = len(self.form_text)
            compact = "".join(toks)
            self.form_entry.append(eidx)
            self.form_text.append(norm)
            self.form_tokens.append(toks)
            self.form_compact.append(compact)
            for tok in set(toks):
                word_forms[tok].append(fidx)
            if 1 < len(toks) <= 4:
                joined[compact].append(fidx)
        n_forms = len(self.form_text)
        self._n = n_forms
        self._word_forms = {w: np.asarray(p, dtype=np.int32) for w, p in word_forms.items()}
        self._idf = {w: math.log(1 + n_forms / len(p)) for w, p in word_forms.items()}
        self._joined = {w: np.asarray(p, dtype=np.int32) for w, p in joined.items()}
        # total weight of each form's distinctive words (for coverage)
        weights = np.zeros(max(1, n_forms), dtype=np.float64)
        for i, toks in enumerate(self.form_tokens):
            sig = [t for t in toks if t not in stop] or toks
            weights[i] = sum(self._idf[t] for t in set(sig))
        self._form_weight = weights
        self._deletes: dict[str, list[str]] = defaultdict(list)
        self._prefix: dict[str, list[str]] = defaultdict(list)
        for word in word_forms:
            if len(word) >= 4:
                for d in _deletes(word):
                    self._deletes[d].append(word)
            if len(word) >= 6:
                for n in range(5, len(word)):
                    self._prefix[word[:n]].append(word)
        self._long_words = [w for w in word_forms if len(w) >= LONG_WORD]
        kinds = sorted({e.kind for e in self.entries})
        self._kind_code = {k: i for i, k in enumerate(kinds)}
        self._form_kind = np.asarray(
            [self._kind_code[self.entries[e].kind] for e in self.form_entry] or [0], dtype=np.int16
        )
        self._exact_id = {e.id: i for i, e in enumerate(self.entries)}
        self._masks: dict[frozenset, np.ndarray] = {}

    @staticmethod
    def _hit(e: Entry, score: float, form: str) -> Hit:
        return Hit(
            e.kind, e.id, e.name, round(score, 1), form, e.source_id, e.subkind, e.country, e.year
        )

    def has(self, kind: str, id: str) -> bool:
        return (kind, id) in self._entry_ids

    def entries_by_kind(self, kind: str) -> list[Entry]:
        return [e for e in self.entries if e.kind == kind]

    def ids_with_word(self, kind: str, words: Collection[str]) -> set[str]:
        """Ids of the records of ``kind`` one of whose names holds one of ``words`` (folded)."""
        return {
            self.entries[self.form_entry[fidx]].id
            for word in words
            for fidx in self._word_forms.get(normal_token(word), ())
            if self.entries[self.form_entry[fidx]].kind == kind
        }

    def __len__(self) -> int:
        return len(self.form_text)

    # ------------------------------------------------------------------ word matching
    def _idf_of(self, word: str) -> float:
        return self._idf.get(word, 1.0)

    def _word_matches(self, word: str) -> dict[str, float]:
        """Vocabulary words similar to ``word`` with a similarity in 0..1."""
        out: dict[str, float] = {}
        if word in self._idf:
            out[word] = 1.0
        if len(word) >= 4:
            cands: set[str] = set(self._deletes.get(word, ()))  # word = vocab minus one letter
            for d in _deletes(word):
                if len(d) >= 4 and d in self._idf:
                    cands.add(d)  # vocab = word minus one letter
                cands.update(self._deletes.get(d, ()))  # one substitution or transposition
            edits = 1 if len(word) <= SHORT_WORD else 2
            for cand in cands:
                if (
                    cand not in out
                    and Levenshtein.distance(word, cand, score_cutoff=edits) <= edits
                ):
                    out[cand] = 0.9 if len(word) >= 5 else 0.8
        if len(word) >= 5:
            for cand in self._prefix.get(word, ()):
                out.setdefault(cand, 0.85)
        if not out and len(word) >= LONG_WORD:
            # A long word with two or more slips ("innovasjonsarenaen" for "innovationsarenan"):
            # the closest long words of the vocabulary by RapidFuzz's ratio.
            for cand, score, _ in extract(
                word, self._long_words, scorer=fuzz.ratio, score_cutoff=LONG_WORD_RATIO, limit=3
            ):
                out[cand] = 0.8 * score / 100.0
        if not out and len(word) >= COMPOUND_WORD:
            out = self._compound_parts(word)
        return out

    def _compound_parts(self, word: str) -> dict[str, float]:
        """The name words a compound is made of ("clusteroproep" → "clusters", "klyngestøtten"
        → "klynge"): Dutch and the Nordic languages write "the cluster call" as one word. The
        longest part that is a vocabulary word (or, from five letters, the start of one) wins
        on each side; parts count less than a word typed alone."""
        out: dict[str, float] = {}
        for i in range(COMPOUND_PART, len(word) - COMPOUND_PART + 1):
            head, tail = word[:i], word[i:]
            for part in {head, head[:-1] if head[-1] in LINKING_LETTERS else head, tail}:
                if len(part) < COMPOUND_PART:
                    continue
                if part in self._idf:
                    out[part] = max(out.get(part, 0.0), COMPOUND_SIMILARITY)
                elif len(part) >= 5 and part == head:
                    for cand in self._prefix.get(part, ()):
                        if len(cand) - len(part) <= 2:  # an inflection: "cluster" ~ "clusters"
                            out.setdefault(cand, COMPOUND_SIMILARITY - 0.05)
        return out

    def _kind_mask(self, kinds: Collection[str] | None) -> np.ndarray | None:
        if kinds is None:
            return None
        key = frozenset(kinds)
        cached = self._masks.get(key)
        if cached is not None:
            return cached
        codes = [self._kind_code[k] for k in kinds if k in self._kind_code]
        lookup = np.zeros(max(1, len(self._kind_code)), dtype=bool)
        lookup[codes] = True
        mask = self._masks[key] = lookup[self._form_kind[: self._n]]
        return mask

    def _accumulate(self, words: list[str], *, joins: bool) -> tuple[np.ndarray, np.ndarray, dict]:
        """Per-form (weighted matched score, number of matched words) and the matched vocab."""
        matched: dict[str, float] = {}
        for w in dict.fromkeys(words):
            for vocab, sim in self._word_matches(w).items():
                if sim > matched.get(vocab, 0.0):
                    matched[vocab] = sim
        arrays, weights = [], []
        for vocab, sim in matched.items():
            post = self._word_forms[vocab]
            arrays.append(post)
            weights.append(np.full(len(post), self._idf[vocab] * sim))
        counts_arrays = list(arrays)
        if joins:
            for n in (2, 3):
                for i in range(len(words) - n + 1):
                    post = self._joined.get("".join(words[i : i + n]))
                    if post is not None:
                        # the whole name, written in several words ("innov euro metropolis")
                        arrays.append(post)
                        weights.append(np.maximum(self._form_weight[post], 4.0))
        if not arrays:
            empty = np.zeros(self._n)
            return empty, empty, matched
        got = np.bincount(
            np.concatenate(arrays), weights=np.concatenate(weights), minlength=self._n
        )
        hits = (
            np.bincount(np.concatenate(counts_arrays), minlength=self._n)
            if counts_arrays
            else np.zeros(self._n)
        )
        return got, hits, matched

    # ------------------------------------------------------------------ search
    def _form_score(self, q_toks: list[str], q_compact: str, fidx: int) -> float:
        """Similarity 0..100 of a typed name to one name form."""
        n_toks = self.form_tokens[fidx]
        compact = self.form_compact[fidx]
        whole = fuzz.ratio(q_compact, compact)
        sig_q = [t for t in q_toks if t not in self._stop] or q_toks
        total_w = 0.0
        got_w = 0.0
        matched_name: set[str] = set()
        for qt in sig_q:
            w = self._idf.get(qt, 2.0) * min(1.0, len(qt) / 4)
            total_w += w
            if qt in n_toks:
                got_w += w
                matched_name.add(qt)
                continue
            best = 0.0
            best_tok = None
            if len(qt) >= 3:
                for nt in n_toks:
                    if qt in nt:
                        s = 0.92 if nt.startswith(qt) and len(qt) >= 4 else 0.85
                        if len(qt) < 4:
                            s = 0.6
                        if s > best:
                            best, best_tok = s, nt
            found = extractOne(qt, n_toks, scorer=fuzz.ratio, score_cutoff=70)
            if found and found[1] / 100.0 > best:
                best, best_tok = found[1] / 100.0, found[0]
            got_w += w * best
            if best_tok:
                matched_name.add(best_tok)
        q_cov = got_w / total_w if total_w else 0.0
        name_w = self._form_weight[fidx]
        covered = sum(self._idf.get(t, 1.0) for t in matched_name if t not in self._stop)
        n_cov = min(1.0, covered / name_w) if name_w else 0.0
        # a long name typed partly or without spaces ("innoveurometropolis") matches compactly
        partial = 0.0
        if len(q_compact) >= 4 and len(compact) > len(q_compact):
            partial = fuzz.partial_ratio(q_compact, compact) * 0.9
        token_score = 100.0 * (0.8 * q_cov + 0.2 * n_cov)
        return max(whole, token_score, min(partial, token_score + 10))

    def search(
        self, text: str, *, kinds: Collection[str] | None = None, limit: int = 5
    ) -> list[Hit]:
        """Best records for a typed name, most similar first (score 0..100)."""
        q_toks = tokens(text)
        if not q_toks or not self._n:
            return []
        q_compact = "".join(q_toks)
        words = [t for t in q_toks if t not in self._stop] or q_toks
        got, _hits, _ = self._accumulate(words, joins=True)
        nz = np.flatnonzero(got)
        mask = self._kind_mask(kinds)
        if mask is not None:
            nz = nz[mask[nz]]
        cand: list[int] = []
        if len(nz):
            # prefer forms that cover the query and are not much longer than it
            rank = got[nz] / np.sqrt(self._form_weight[nz] + 1.0)
            k = min(self.RESCORE, len(nz))
            top = nz[np.argpartition(-rank, k - 1)[:k]] if len(nz) > k else nz
            cand = top.tolist()
        exact = self._exact_id.get(text.strip())
        best: dict[int, tuple[float, int]] = {}
        if exact is not None and (kinds is None or self.entries[exact].kind in kinds):
            best[exact] = (100.0, -1)
        for fidx in cand:
            score = self._form_score(q_toks, q_compact, fidx)
            eidx = self.form_entry[fidx]
            if eidx not in best or score > best[eidx][0]:
                best[eidx] = (score, fidx)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], self.entries[kv[0]].name))
        out = []
        for eidx, (score, fidx) in ranked[:limit]:
            if score < 50:
                break
            e = self.entries[eidx]
            form = self.form_text[fidx] if fidx >= 0 else e.id
            out.append(self._hit(e, score, form))
        return out

    # ------------------------------------------------------------------ mentions
    def mentions(
        self,
        message: str,
        *,
        kinds: Collection[str] | None = None,
        limit: int = 5,
        min_score: float = 40.0,
    ) -> list[Hit]:
        """Records whose name occurs (possibly misspelt) inside a free chat message, scoring at
        least ``min_score`` (a caller weighing other signals asks for weaker ones too)."""
        words = [w for w in tokens(message) if w not in self._stop and len(w) >= 2]
        if not words or not self._n:
            return []
        got, hits, matched = self._accumulate(words, joins=True)  # "innov euro metropolis"
        if not matched:
            return []
        nz = np.flatnonzero(got)
        mask = self._kind_mask(kinds)
        if mask is not None:
            nz = nz[mask[nz]]
        if not len(nz):
            return []
        g = got[nz]
        weight = self._form_weight[nz]
        score = 100.0 * np.sqrt(np.minimum(1.0, g / np.maximum(weight, 1e-9)))
        # one word of a longer name is weak evidence
        score = np.where((hits[nz] == 1) & (weight > g + 1e-9), score * 0.85, score)
        keep = score >= min(30.0, min_score)
        nz, score = nz[keep], score[keep]
        if not len(nz):
            return []
        k = min(self.MENTION_CANDIDATES, len(nz))
        order = np.argpartition(-score, k - 1)[:k] if len(nz) > k else np.arange(len(nz))
        best: dict[int, tuple[float, int, int]] = {}
        for j in order.tolist():
            fidx = int(nz[j])
            s = float(score[j])
            h = int(hits[fidx])
            eidx = self.form_entry[fidx]
            prev = best.get(eidx)
            if prev is None or (s, h) > (prev[0], prev[1]):
                best[eidx] = (s, h, fidx)
        # a country named in the message lends weight to the records of that country
        countries = {
            self.entries[e].id.split(":", 1)[1].upper()
            for e, (s, _h, _f) in best.items()
            if self.entries[e].id.startswith("country:") and s >= 90
        }
        if countries:
            for e, (s, h, fidx) in list(best.items()):
                if self.entries[e].country in countries and s < 100:
                    best[e] = (min(99.0, s * 1.2), h, fidx)
        ranked = sorted(
            best.items(), key=lambda kv: (-kv[1][0], -kv[1][1], self.entries[kv[0]].name)
        )
        out = []
        for eidx, (s, _h, fidx) in ranked[:limit]:
            if s < min_score:
                break
            e = self.entries[eidx]
            out.append(self._hit(e, s, self.form_text[fidx]))
        return out
