"""The sentences of one record's own texts that best answer a free question (BM25, bm25s).

When no answer type fits a question about a known subject ("what will the Voss garden
develop?"), the answer is the best-matching sentence of that subject's texts: its description,
services, criteria, procedure, role or the source excerpts it rests on, in the asked language
where a translation exists. Words are folded, function words dropped and the rest reduced to
their Snowball stem in the text's own language; the subject's own name words are left out of
the question (every sentence of the subject is about it). Never a sentence of another record.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import bm25s
import numpy as np

from knowledge.names import stopwords
from knowledge.query.base import QueryBase
from knowledge.text import fold, stem_words
from knowledge.views import SourceView, Text

#: where one sentence ends: after ! ? ؟ ; and a space; after a period and a space unless a
#: small letter, a digit or a closing quote follows ("15. mars 2011", "kl. 09:00", "… »")
_SENTENCE_END = re.compile(r"(?<=[!?؟;])\s+(?![»”)])|(?<=\.)\s+(?![a-zß-ÿ\d»”)])")
#: a question needs this many words besides the subject's name to be matched at all
MIN_WORDS = 1
#: sentence indexes kept per revision (the records asked about most recently)
SENTENCE_INDEXES = 2048
_SENTENCE_LOCK = threading.Lock()
#: the records whose texts can tell what a message that names none of them is about
TEXT_KINDS = ("organisation", "call", "programme", "event")
#: a term held by this few records' texts, and this long, tells them apart ("grunderakademiet")
RARE_TERM_RECORDS = 2
#: the most records a knowledge base may hold for messages to be matched against their texts
TEXT_FIT_MAX_RECORDS = 5000
RARE_TERM_LENGTH = 8


@dataclass(frozen=True)
class Passage:
    """One sentence of a record's texts, ranked for a question."""

    text: Text
    field: str  # where it comes from: description, service, evidence, …
    score: float
    source: SourceView


def sentences(text: str) -> list[str]:
    """A text cut into sentences (a quoted sentence stays whole)."""
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


def terms(text: str, lang: str) -> list[str]:
    """The words BM25 compares: folded, no function words, Snowball stems of ``lang``."""
    stop = stopwords()
    words = [w for w in fold(text).split() if w not in stop and (len(w) > 1 or w.isdigit())]
    return stem_words(words, lang)


def question_terms(question: str, lang: str, *, ignore: Iterable[str] = ()) -> list[str]:
    """The terms of a question that are matched against sentences: its words without the
    function words and without ``ignore`` (the words that only name the subject)."""
    ignored = {t for word in ignore for t in terms(word, lang)}
    return [t for t in terms(question, lang) if t not in ignored]


@dataclass(frozen=True)
class RecordFit:
    """A record whose own texts match a question, with its BM25 score."""

    kind: str
    id: str
    score: float
    source_id: str | None = None
    rare: bool = False  # holds a word of the question few other records hold


@dataclass(frozen=True)
class _RecordIndex:
    records: list[tuple[str, str, str | None]]  # kind, id, source id
    retriever: bm25s.BM25
    holders: dict[str, set[int]]  # term -> the records whose texts hold it


class PassageQueries(QueryBase):
    def records_by_text(
        self, question: str, lang: str, *, ignore: Iterable[str] = (), limit: int = 3
    ) -> list[RecordFit]:
        """Records whose own texts (all their languages) best match ``question``, best first:
        what a message is about when it names no record. One BM25 document per record, built
        once per revision and language. ``ignore``: words that say what is asked ("money"),
        not about what. A record holding a word of the question that at most
        ``RARE_TERM_RECORDS`` records hold ("Gründerakademiet", in the Fabrikken garden's
        description only) is marked ``rare``. A knowledge base of more than
        ``TEXT_FIT_MAX_RECORDS`` records gets none: the index is built record by record through
        the views (160 s a language at 60,000 records), too slow for a message to wait for."""
        if self._cached("text-fit-records", self._text_fit_records) > TEXT_FIT_MAX_RECORDS:
            return []
        index = self._cached(f"record-texts:{lang}", lambda: self._record_index(lang))
        query = question_terms(question, lang, ignore=ignore)
        if not index.records or len(query) < MIN_WORDS:
            return []
        scores = index.retriever.get_scores(query)
        rare = {
            i
            for term in query
            if len(term) >= RARE_TERM_LENGTH
            and 0 < len(holders := index.holders.get(term, ())) <= RARE_TERM_RECORDS
            for i in holders
        }
        ranked = np.argsort(-scores, kind="stable")[:limit].tolist()
        return [
            RecordFit(kind, id_, float(scores[i]), source, rare=i in rare)
            for i in ranked
            if scores[i] > 0
            for kind, id_, source in [index.records[i]]
        ]

    def _text_fit_records(self) -> int:
        names = self.name_index()
        return sum(len(names.entries_by_kind(kind)) for kind in TEXT_KINDS)

    def _record_index(self, lang: str) -> _RecordIndex:
        names = self.name_index()
        records = [
            (e.kind, e.id, e.source_id) for kind in TEXT_KINDS for e in names.entries_by_kind(kind)
        ]
        documents = []
        holders: dict[str, set[int]] = {}
        for i, (kind, id_, _source) in enumerate(records):
            words: list[str] = []
            for text, _field, _src in self._texts(kind, id_, lang, own_only=True):
                words += terms(text.value, text.lang)
            for word in words:
                holders.setdefault(word, set()).add(i)
            documents.append(words or ["\u2205"])
        retriever = bm25s.BM25()
        if records:
            retriever.index(documents, show_progress=False)
        return _RecordIndex(records, retriever, holders)

    def passages(
        self,
        kind: str,
        id: str,
        question: str,
        lang: str,
        *,
        ignore: Iterable[str] = (),
        limit: int = 2,
        own_only: bool = False,
    ) -> list[Passage]:
        """The sentences of record ``kind:id`` that best match ``question`` (best first; empty
        when none shares a word with it). ``ignore``: words of the question that only name the
        subject ("Voss", "garden"); ``own_only``: without the texts of the programme behind it
        (to tell records apart by what is their own)."""
        query = question_terms(question, lang, ignore=ignore)
        if len(query) < MIN_WORDS:
            return []
        corpus, retriever = self._sentences_of(kind, id, lang, own_only)
        if not corpus:
            return []
        scores = retriever.get_scores(query)
        ranked = sorted(range(len(corpus)), key=lambda i: -scores[i])
        out = []
        for i in ranked[:limit]:
            if scores[i] <= 0:
                break
            text, field, source = corpus[i]
            out.append(Passage(text, field, float(scores[i]), source))
        return out

    def _sentences_of(self, kind: str, id: str, lang: str, own_only: bool):
        """The record's sentence index from a bounded cache of the current revision."""
        indexes = self._cached("sentence-indexes", OrderedDict)
        key = (kind, id, lang, own_only)
        with _SENTENCE_LOCK:  # answers run in threads
            if key in indexes:
                indexes.move_to_end(key)
                return indexes[key]
        built = self._sentence_index(kind, id, lang, own_only)
        with _SENTENCE_LOCK:
            indexes[key] = built
            if len(indexes) > SENTENCE_INDEXES:
                indexes.popitem(last=False)
        return built

    def _sentence_index(
        self, kind: str, id: str, lang: str, own_only: bool
    ) -> tuple[list[tuple[Text, str, SourceView]], bm25s.BM25 | None]:
        """A record's sentences and their BM25 index, built once per revision: the same
        sentences are ranked for every question about the record."""
        corpus: list[tuple[Text, str, SourceView]] = []
        seen: set[str] = set()
        for text, field, source in self._texts(kind, id, lang, own_only=own_only):
            for sentence in sentences(text.value):
                key = fold(sentence)
                if key and key not in seen:
                    seen.add(key)
                    corpus.append((Text(sentence, text.lang, text.is_original, text.machine),
                                   field, source))  # fmt: skip
        if not corpus:
            return [], None
        tokens = [terms(t.value, t.lang) or ["\u2205"] for t, _f, _s in corpus]
        retriever = bm25s.BM25()
        retriever.index(tokens, show_progress=False)
        return corpus, retriever

    def _texts(
        self, kind: str, id: str, lang: str, *, own_only: bool = False
    ) -> Iterator[tuple[Text, str, SourceView]]:
        """(text, field, source) of a record: its own texts, then its source excerpts."""
        view = self._view(kind, id, lang)
        if view is None:
            return
        source = view.source
        for field, value in _fields(kind, view):
            if value is None:
                continue
            yield value, field, source
            if value.original:  # a translation: the source's own words match too
                yield Text(value.original, source.language, True, False), field, source
        evidence = [view.evidence or {}]
        evidence += [s.evidence or {} for s in getattr(view, "services", ())]
        for excerpts in (e for record in evidence for e in record.values()):
            for excerpt in [excerpts] if isinstance(excerpts, str) else excerpts:
                yield Text(excerpt, source.language, True, False), "evidence", source
        # What the record is for is often said by the programme behind it: a call's programme
        # ("the cluster concept aims at a governance structure …"), a funder's programmes.
        for programme_id in [] if own_only else self._programmes_behind(kind, view):
            programme = self.programme(programme_id, lang)
            if programme is not None and programme.description is not None:
                yield programme.description, "programme", programme.source

    def _programmes_behind(self, kind: str, view) -> list[str]:
        if kind == "call":
            return [view.programme_id] if view.programme_id else []
        if kind == "organisation":
            return [*view.programmes, *self.programmes_funded_by(view.id)]
        return []

    def _view(self, kind: str, id: str, lang: str):
        if kind == "organisation":
            return self.organisation(id, lang)
        if kind == "call":
            return self.call(id, lang)
        if kind == "programme":
            return self.programme(id, lang)
        if kind == "event":
            return self.event(id, lang)
        if kind == "contact":
            return self.contact(id, lang)
        return None


def _fields(kind: str, view) -> list[tuple[str, Text | None]]:
    """The user-facing texts of a view, by field name."""
    if kind == "organisation":
        out = [("description", view.description), ("address", view.address)]
        for service in view.services:
            out += [("service", service.name), ("service", service.description)]
        return out + [("sector", sector) for sector in view.sectors]
    if kind == "call":
        out = [
            ("title", view.title),
            ("who_may_apply", view.who_may_apply),
            ("how_to_apply", view.how_to_apply),
            ("application_file", view.application_file),
        ]
        return out + [("criterion", criterion.text) for criterion in view.criteria]
    if kind == "programme":
        return [("name", view.name), ("description", view.description)]
    if kind == "event":
        return [("title", view.title), ("description", view.description)]
    if kind == "contact":
        return [("role", view.role)]
    return []
