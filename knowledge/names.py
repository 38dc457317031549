"""Name normalisation and the in-memory fuzzy name index.

Names are compared after *folding*: lower case, accents stripped, Nordic and ligature letters
spelt out (ø→o, æ→ae, å→a, œ→oe, ß→ss), punctuation turned into spaces. Two lookups share the
index:

- ``search(text)``: one name typed by a person. Candidates come from a character-trigram
  inverted index over the space-free folded names (so spacing does not matter), then RapidFuzz
  scores the best few hundred.
- ``mentions(message)``: names inside a chat message. Each message word is matched against the
  vocabulary of name words (exact, one edit, or prefix), and names whose distinctive words are
  covered are returned. Weights are inverse document frequencies, so words that occur in many
  names ("hub", "call") count little.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

_SPECIAL = str.maketrans(
    {
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ß": "ss",
        "ł": "l",
        "Ł": "l",
        "đ": "d",
        "Đ": "d",
        "þ": "th",
        "Þ": "th",
        "ð": "d",
        "ı": "i",
        "’": "'",
        "ـ": "",  # Arabic tatweel
    }
)
_NON_WORD = re.compile(r"[^\w]+|_+")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sta": "santa", "s:t": "sankt"}


def fold(text: str) -> str:
    """Fold a text for comparison: case, accents, special letters, punctuation, spacing."""
    text = unicodedata.normalize("NFKC", text).translate(_SPECIAL)
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _NON_WORD.sub(" ", text.replace("'", " "))
    return " ".join(text.split())


def tokens(text: str) -> list[str]:
    """Folded words of a text, common abbreviations spelt out ("st" → "saint")."""
    return [_ABBREVIATIONS.get(tok, tok) for tok in fold(text).split()]


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


@dataclass(frozen=True)
class Hit:
    """A scored index hit, before it becomes a query ``Match``."""

    kind: str
    id: str
    name: str
    score: float
    matched: str  # the name form that matched


def _trigrams(compact: str) -> set[str]:
    padded = f"  {compact} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def _deletes(token: str) -> set[str]:
    return {token[:i] + token[i + 1 :] for i in range(len(token))}


class NameIndex:
    """Immutable fuzzy index over (record, name form) pairs; build once per KB revision."""

    #: trigram candidates scored per search
    CANDIDATES = 150
    #: a message word occurring in more names than this share does not generate candidates
    COMMON_SHARE = 0.02

    def __init__(self, forms: Iterable[tuple[Entry, str]]) -> None:
        self.entries: list[Entry] = []
        self._entry_ids: dict[tuple[str, str], int] = {}
        self.form_entry: list[int] = []
        self.form_text: list[str] = []
        self.form_tokens: list[tuple[str, ...]] = []
        self.form_compact: list[str] = []
        exact: dict[str, list[int]] = defaultdict(list)
        postings: dict[str, list[int]] = defaultdict(list)
        word_forms: dict[str, list[int]] = defaultdict(list)
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
            compact = norm.replace(" ", "")
            self.form_entry.append(eidx)
            self.form_text.append(norm)
            self.form_tokens.append(toks)
            self.form_compact.append(compact)
            exact[norm].append(fidx)
            if compact != norm:
                exact[compact].append(fidx)
            for gram in _trigrams(compact):
                postings[gram].append(fidx)
            for tok in set(toks):
                word_forms[tok].append(fidx)
        self._exact = dict(exact)
        self._postings = {g: np.asarray(p, dtype=np.int32) for g, p in postings.items()}
        self._word_forms = {w: np.asarray(p, dtype=np.int32) for w, p in word_forms.items()}
        n_forms = max(1, len(self.form_text))
        self._idf = {w: math.log(1 + n_forms / len(p)) for w, p in word_forms.items()}
        self._deletes: dict[str, list[str]] = defaultdict(list)
        self._prefix: dict[str, list[str]] = defaultdict(list)
        for word in word_forms:
            if len(word) >= 4:
                for d in _deletes(word):
                    self._deletes[d].append(word)
            if len(word) >= 6:
                for n in range(5, len(word)):
                    self._prefix[word[:n]].append(word)
        self._form_kinds = np.asarray(
            [self.entries[e].kind for e in self.form_entry] or [""], dtype=object
        )
        self._common = max(50, int(self.COMMON_SHARE * n_forms))
        self._stop = stopwords()

    def entries_by_kind(self, kind: str) -> list[Entry]:
        return [e for e in self.entries if e.kind == kind]

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
                if d in self._idf and len(d) >= 4:
                    cands.add(d)  # vocab = word minus one letter
                cands.update(self._deletes.get(d, ()))  # one substitution
            for cand in cands:
                if cand not in out and Levenshtein.distance(word, cand, score_cutoff=2) <= 2:
                    out[cand] = 0.9 if len(word) >= 5 else 0.8
        if len(word) >= 5:
            for cand in self._prefix.get(word, ()):
                out.setdefault(cand, 0.85)
        return out

    # ------------------------------------------------------------------ search
    def _kind_ok(self, fidx: int, kinds: Collection[str] | None) -> bool:
        return kinds is None or self.entries[self.form_entry[fidx]].kind in kinds

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
            w = self._idf_of(qt) if qt in self._idf else 2.0
            w *= min(1.0, len(qt) / 4)
            total_w += w
            best = 0.0
            best_tok = None
            for nt in n_toks:
                if nt == qt:
                    s = 1.0
                elif len(qt) >= 4 and nt.startswith(qt):
                    s = 0.92
                elif len(qt) >= 3 and qt in nt:
                    s = 0.85 if len(qt) >= 4 else 0.6
                else:
                    s = fuzz.ratio(qt, nt) / 100.0
                    if s < 0.7:
                        s = 0.0
                if s > best:
                    best, best_tok = s, nt
            got_w += w * best
            if best_tok:
                matched_name.add(best_tok)
        q_cov = got_w / total_w if total_w else 0.0
        sig_n = [t for t in n_toks if t not in self._stop] or list(n_toks)
        name_w = sum(self._idf_of(t) for t in sig_n)
        covered = sum(self._idf_of(t) for t in sig_n if t in matched_name)
        n_cov = covered / name_w if name_w else 0.0
        # a long name partly typed ("voss" for "Voss næringshage") also matches compactly
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
        if not q_toks or not self.form_text:
            return []
        q_norm = " ".join(q_toks)
        q_compact = q_norm.replace(" ", "")
        cand: set[int] = set(self._exact.get(q_norm, ())) | set(self._exact.get(q_compact, ()))
        grams = [self._postings[g] for g in _trigrams(q_compact) if g in self._postings]
        if grams:
            counts = np.bincount(np.concatenate(grams), minlength=len(self.form_text))
            if kinds is not None:
                mask = np.isin(self._form_kinds[: len(counts)], list(kinds))
                counts = np.where(mask, counts, 0)
            k = min(self.CANDIDATES, int(np.count_nonzero(counts)))
            if k:
                top = np.argpartition(-counts, k - 1)[:k]
                cand.update(int(i) for i in top if counts[i] > 0)
        best: dict[int, tuple[float, int]] = {}
        for fidx in cand:
            if not self._kind_ok(fidx, kinds):
                continue
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
            out.append(Hit(e.kind, e.id, e.name, round(score, 1), self.form_text[fidx]))
        return out

    # ------------------------------------------------------------------ mentions
    def mentions(
        self, message: str, *, kinds: Collection[str] | None = None, limit: int = 5
    ) -> list[Hit]:
        """Records whose name occurs (possibly misspelt) inside a free chat message."""
        words = [w for w in tokens(message) if w not in self._stop and len(w) >= 2]
        if not words or not self.form_text:
            return []
        matched: dict[str, float] = {}  # vocabulary word -> similarity
        for w in dict.fromkeys(words):
            for vocab, sim in self._word_matches(w).items():
                if sim > matched.get(vocab, 0.0):
                    matched[vocab] = sim
        if not matched:
            return []
        postings = [
            self._word_forms[v] for v in matched if len(self._word_forms[v]) <= self._common
        ]
        if not postings:  # only very common words: fall back to the rarest of them
            rarest = min(matched, key=lambda v: len(self._word_forms[v]))
            postings = [self._word_forms[rarest][: self._common]]
        cand = np.unique(np.concatenate(postings))
        best: dict[int, tuple[float, int, int]] = {}
        for fidx in cand.tolist():
            if not self._kind_ok(fidx, kinds):
                continue
            n_toks = self.form_tokens[fidx]
            sig = [t for t in n_toks if t not in self._stop] or list(n_toks)
            total = 0.0
            got = 0.0
            hits = 0
            for t in sig:
                w = self._idf_of(t)
                total += w
                sim = matched.get(t)
                if sim:
                    got += w * sim
                    hits += 1
            if not hits:
                continue
            cov = got / total
            score = (
                100.0 * math.sqrt(cov) * (got / sum(self._idf_of(t) for t in sig if t in matched))
            )
            if hits == 1 and len(sig) > 1:
                score *= 0.85  # one word of a longer name is weak evidence
            eidx = self.form_entry[fidx]
            prev = best.get(eidx)
            if prev is None or (score, hits) > (prev[0], prev[1]):
                best[eidx] = (score, hits, fidx)
        # a country named in the message lends weight to the records of that country
        countries = {
            self.entries[e].id.split(":", 1)[1].upper()
            for e, (score, _h, _f) in best.items()
            if self.entries[e].id.startswith("country:") and score >= 90
        }
        if countries:
            for e, (score, hits, fidx) in list(best.items()):
                if self.entries[e].country in countries and score < 100:
                    best[e] = (min(99.0, score * 1.2), hits, fidx)
        ranked = sorted(
            best.items(), key=lambda kv: (-kv[1][0], -kv[1][1], self.entries[kv[0]].name)
        )
        out = []
        for eidx, (score, _hits, fidx) in ranked[:limit]:
            if score < 40:
                break
            e = self.entries[eidx]
            out.append(Hit(e.kind, e.id, e.name, round(score, 1), self.form_text[fidx]))
        return out
