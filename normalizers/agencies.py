"""Agencies: find them in text and give their canonical names.

The catalog (catalogs/agencies.json) becomes spaCy PhraseMatcher patterns on a blank
Vietnamese pipeline. Tokens are syllables and punctuation, compared on a key that folds case,
tone-mark style, '&'/'và' and dash variants, so 'Phòng NN&PTNT', 'Phòng NN & PTNT' and
'phòng Nông nghiệp và PTNT' meet the same pattern. The matcher is built once per process.
An agency the catalog does not know is kept as written, its abbreviations expanded.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import regex

from kehoach.normalizers.text import alternation, fold, match_key, nfc, tone_canonical
from kehoach.catalogs import load

_TOKEN = regex.compile(r"[\p{L}\p{M}\p{N}]+|[^\s\p{L}\p{M}\p{N}]")
_LEVEL_AFTER = regex.compile(
    r"\s*(?P<level>tỉnh|huyện|thị xã|thành phố|xã|phường|thị trấn|cấp tỉnh|cấp huyện|cấp xã)"
    r"(?P<place>(?:\s+\p{Lu}[\p{Ll}’']*(?:[’']\p{Lu}?\p{Ll}*)?){1,3})?(?![\p{L}])")
_PLACE_UNIT_WORDS = ("tỉnh", "huyện", "xã", "phường", "thị trấn", "thị xã", "thành phố")


def _norm(token: str) -> str:
    if token == "&":
        return "và"
    if token in "–—‐‑":
        return "-"
    return match_key(token)


def tokens(text: str) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]


@dataclass(frozen=True)
class Agency:
    id: str
    canonical: str
    level: str | None


@dataclass(frozen=True)
class AgencyMention:
    start: int
    end: int  # includes a level word and place that follow ('… huyện', '… tỉnh Quảng Nam')
    agency: Agency
    name: str  # canonical name with the level word and place kept


class AgencyMatcher:
    """spaCy PhraseMatcher over the catalog's names and aliases."""

    def __init__(self) -> None:
        import spacy
        from spacy.matcher import PhraseMatcher

        self.nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        # the same names without diacritics: a slip in a name ('Thương bình') still finds its agency
        self.tolerant = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self.agencies: dict[str, Agency] = {}
        for a in load("agencies")["agencies"]:
            agency = Agency(a["id"], a["canonical"], a.get("level"))
            self.agencies[a["id"]] = agency
            names = {a["canonical"], *a.get("aliases", [])}
            kept = [n for n in names if len(tokens(n)) >= 2 or n.isupper()]
            self.matcher.add(a["id"], [self._doc(n) for n in kept])
            self.tolerant.add(a["id"], [self._doc(n, folded=True) for n in kept if len(tokens(n)) >= 3])

    def _doc(self, text: str, folded: bool = False):
        from spacy.tokens import Doc

        toks = tokens(text)
        words = [fold(_norm(t)) if folded else _norm(t) for t, _, _ in toks]
        return Doc(self.nlp.vocab, words=words or [""])

    def find(self, text: str) -> list[AgencyMention]:
        from spacy.util import filter_spans

        toks = tokens(text)
        if not toks:
            return []
        doc = self._doc(text)
        matches = {(s, e): self.nlp.vocab.strings[mid] for mid, s, e in self.matcher(doc)}
        exact = set(matches)
        for mid, s, e in self.tolerant(self._doc(text, folded=True)):
            matches.setdefault((s, e), self.nlp.vocab.strings[mid])
        spans = [doc[s:e] for s, e in matches]
        out = []
        for span in filter_spans(spans):
            agency = self.agencies[matches[(span.start, span.end)]]
            start, end = toks[span.start][1], toks[span.end - 1][2]
            surface = text[start:end]
            # the canonical name replaces an abbreviated or misspelt one; a name written in full
            # words stays as the plan wrote it ('Phòng Văn hóa - Thông tin', 'Ủy ban Mặt trận …')
            misspelt = (span.start, span.end) not in exact
            name = agency.canonical if _abbreviated(surface) or misspelt else _tidy(surface)
            if regex.match(r"UBND\s", surface) and not _abbreviated(surface[5:]):
                # 'UBND cấp xã' is 'Ủy ban nhân dân cấp xã': only the head noun is abbreviated
                name = _tidy("Ủy ban nhân dân " + surface[5:])
            m = _LEVEL_AFTER.match(text, end)
            if m and not name.lower().endswith(m.group("level").lower()):
                name = f"{name} {m.group('level').lower()}" + (m.group("place") or "")
                end = m.end()
            out.append(AgencyMention(start, end, agency, name))
        return out


def _abbreviated(surface: str) -> bool:
    if "&" in surface:
        return True
    words = regex.findall(r"[\p{L}]+", surface)
    caps = [w for w in words if len(w) >= 2 and w.isupper()]
    return bool(caps) and (len(caps) < len(words) or len(words) <= 2 or surface.isupper())


def _tidy(surface: str) -> str:
    text = tone_canonical(nfc(surface))
    text = regex.sub(r"\s*[-–—]\s*", " - ", text)
    return " ".join(text.split())


@cache
def matcher() -> AgencyMatcher:
    return AgencyMatcher()


@cache
def _expansions() -> list[tuple[regex.Pattern, str]]:
    out = []
    for short, full in load("abbreviations")["expansions"]:
        out.append((regex.compile(rf"(?<![\p{{L}}\p{{N}}]){regex.escape(short)}(?![\p{{L}}\p{{N}}])"), full))
    return out


def expand_abbreviations(text: str) -> str:
    for pat, full in _expansions():
        text = pat.sub(full, text)
    return text


def canonical_name(surface: str) -> str:
    """Canonical name of the agency ``surface`` starts with, else ``surface`` as written (expanded)."""
    surface = " ".join(tone_canonical(nfc(surface)).split()).strip(" .,;:-")
    found = matcher().find(surface)
    if found and found[0].start == 0:
        rest = surface[found[0].end:].strip()
        return found[0].name + (" " + rest if rest and not regex.match(r"[,;:(]", rest) else "")
    return expand_abbreviations(surface).replace(" & ", " và ").replace("&", " và ")


def catalog_agency(name: str | None) -> Agency | None:
    """The catalog agency a canonical party name starts with ('Sở Tài chính tỉnh X' → Sở Tài chính)."""
    if not name:
        return None
    found = matcher().find(name)
    return found[0].agency if found and found[0].start == 0 else None


def catalog_id(name: str | None) -> str | None:
    agency = catalog_agency(name)
    return agency.id if agency else None


@cache
def _party_split() -> regex.Pattern:
    alt = alternation(load("assignments")["party_heads"])
    # a comma, a semicolon or 'và' before a head noun written with its capital starts a new party
    return regex.compile(rf"\s*(?:[,;]|\s và|\svà)\s+(?=(?:{alt})(?![\p{{L}}]))")


def split_parties(text: str) -> list[str]:
    """The parties a lead names: 'Sở Tài chính và Ủy ban nhân dân các xã, phường' → two;
    'Đoàn Thanh niên …, Hội Nông dân tỉnh, Hiệp hội Doanh nghiệp tỉnh' → three; a collective
    in lower case stays with its party ('Mặt trận Tổ quốc … và các tổ chức chính trị - xã hội',
    'Ủy ban nhân dân các xã, phường'), and no name the catalog knows is cut ('Văn phòng HĐND và
    UBND huyện')."""
    protected = [(a.start, a.end) for a in matcher().find(text)]
    pieces, last = [], 0
    for m in _party_split().finditer(text):
        if any(a < m.start() < b or a < m.end() <= b for a, b in protected):
            continue
        before = text[last:m.start()]
        if regex.search(r"(?:HĐND|Hội đồng nhân dân)$", before.strip()):
            continue  # 'Văn phòng HĐND và UBND …' is one office
        pieces.append(before)
        last = m.end()
    pieces.append(text[last:])
    return [p.strip(" ,;.") for p in pieces if p.strip(" ,;.")]
