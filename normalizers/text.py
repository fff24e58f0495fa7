"""Character-level rules for Vietnamese text: pure functions, no I/O.

Two families live here. *Repairs* change what the document says back to what its author
typed (a PDF font that maps ư to U+01A3, a vowel glyph that became a space); they are applied
once, to the text every extractor reads. *Keys* are for matching only (tone-mark style, case,
diacritics) and never change what is shown. Every function that extractors use to search
text keeps the string's length, so a match in a key is a span in the text.
"""
from __future__ import annotations

import unicodedata
from functools import cache

import regex

from kehoach.catalogs import load

_TONE_MARKS = {"\u0300", "\u0301", "\u0309", "\u0303", "\u0323"}


@cache
def _repairs() -> dict:
    return load("text_repairs")


@cache
def _glyph_table() -> dict[int, str]:
    return {ord(k): v for k, v in _repairs()["glyphs"].items()}


@cache
def _substitutions() -> dict[int, str]:
    """The one-for-one part of the glyph table (ƣ→ư): what a key of the same length may apply."""
    return {k: v for k, v in _glyph_table().items() if len(v) == 1}


def _lower(c: str) -> str:
    low = c.lower()
    return low if len(low) == 1 else c  # 'İ'.lower() is two characters: keep it as it is


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def repair_glyphs(text: str) -> str:
    """Undo glyph substitutions of PDF fonts (ƣ→ư, Ƣ→Ư) and drop invisible characters."""
    return text.translate(_glyph_table())


@cache
def _syllable_patterns() -> list[tuple[regex.Pattern, str]]:
    out = []
    for entry in _repairs()["lost_glyph_syllables"]:
        broken = regex.escape(entry["broken"]).replace(r"\ ", " ")
        if entry["before"]:
            after = "|".join(regex.escape(w) for w in entry["before"])
            pat = regex.compile(rf"(?<!\w){broken}(?=\s+(?:{after})(?!\w))", regex.IGNORECASE)
        else:
            pat = regex.compile(rf"(?<!\w){broken}(?!\w)")
        out.append((pat, entry["fixed"]))
    return out


def _keep_case(fixed: str, found: str) -> str:
    return fixed[0].upper() + fixed[1:] if found[:1].isupper() else fixed[0].lower() + fixed[1:]


def repair_syllables(text: str) -> str:
    """Repair syllables damaged by a lost glyph ('mi n phí' → 'miễn phí') and known slips.

    Every repair in the catalog has the same length as the damage, so offsets survive.
    """
    for pat, fixed in _syllable_patterns():
        if pat.search(text):
            text = pat.sub(lambda m, f=fixed: _keep_case(f, m.group(0)), text)
    return text


# --- tone-mark style -------------------------------------------------------------------------
# In the open syllables oa, oe, uy Vietnamese writes the tone on either vowel (hoà / hòa,
# uỷ / ủy). The traditional style (tone on the first vowel) is what most plans and
# underthesea use; matching folds to it. A closed syllable (hoàn, thuyền) is never touched,
# nor is qu + y (quý), where u belongs to the consonant.
_OPEN_PAIR = regex.compile(
    r"(?<![qQ])([oO][aAeE]|[uU][yY])([\u0300\u0301\u0309\u0303\u0323])(?![\p{L}\p{M}])")


def _move_tone(m: regex.Match) -> str:
    pair, tone = m.group(1), m.group(2)
    return pair[0] + tone + pair[1]


def tone_canonical(text: str) -> str:
    """Rewrite 'hoà', 'uỷ', 'khoẻ' as 'hòa', 'ủy', 'khỏe'; same length as the input (NFC)."""
    if not text:
        return text
    nfd = unicodedata.normalize("NFD", text)
    nfd = _OPEN_PAIR.sub(_move_tone, nfd)
    return unicodedata.normalize("NFC", nfd)


@cache
def _fold_char(c: str) -> str:
    c = c.translate(_substitutions())
    if c in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", c)[0]
    return base.lower() if len(base.lower()) == 1 else c


def fold(text: str) -> str:
    """Lower case without diacritics (đ→d), one character per character: for tolerant cues."""
    return "".join(_fold_char(c) for c in text)


def match_key(text: str) -> str:
    """Lower case, repaired glyphs (ƣ→ư), traditional tone style; one character for each
    character of an NFC input, invisible ones included (``repair_glyphs`` is what deletes them),
    so a position in the key is the same position in the text."""
    return "".join(_lower(c) for c in tone_canonical(text.translate(_substitutions())))


def vietnamese_ratio(text: str) -> float:
    """Share of letters that carry a Vietnamese diacritic or are đ: about 0.3–0.5 in prose."""
    letters = marked = 0
    for c in text:
        if c.isalpha():
            letters += 1
            if c in "đĐ" or len(unicodedata.normalize("NFD", c)) > 1:
                marked += 1
    return marked / letters if letters else 0.0


def is_caps(text: str, min_letters: int = 1, ratio: float = 1.0) -> bool:
    """Is ``text`` set in capitals: at least ``min_letters`` letters, ``ratio`` of them capitals.

    The one capitals test of the project. Callers pick the threshold for what they look at: a
    type line or header body is all capitals (1.0); a heading typed by hand or read by OCR may
    carry a stray small letter (0.8).
    """
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= max(1, min_letters) and sum(c.isupper() for c in letters) >= ratio * len(letters)


def title_case_place(name: str) -> str:
    """'QUẢNG NAM' → 'Quảng Nam', "M'DRẮK" → "M'Drắk": each syllable capitalised."""
    words = []
    for w in name.split():
        lw = w.lower()
        i = 0
        while i < len(lw) and not lw[i].isalpha():
            i += 1
        word = lw[:i] + lw[i:i + 1].upper() + lw[i + 1:]
        # "M'Drắk", "Ea H'leo": a syllable after an apostrophe keeps its capital
        word = regex.sub(r"(?<=\p{L}['’])(\p{Ll})", lambda m: m.group(1).upper(), word)
        words.append(word)
    return " ".join(words)


def matching_close(text: str, open_at: int) -> int:
    """Index of the ')' closing the '(' at ``open_at`` (the end of ``text`` if none does)."""
    depth = 0
    for i in range(open_at, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i
    return len(text)


def last_cue(key: str, table: dict[str, list[str]], preferred: regex.Pattern | None = None) -> str | None:
    """The label of the table's cue that occurs last in ``key`` (a folded or match_key text), as
    whole words. With ``preferred``, a cue right after a match of it (at the end of the text
    before the cue) outranks every other: 'từ nguồn vốn X' names the source, a mere 'X' does not."""
    best, best_rank = None, (False, -1)
    for label, words in table.items():
        for w in words:
            for m in regex.finditer(rf"(?<![^\W\d_]){regex.escape(w)}(?![^\W\d_])", key):
                rank = (preferred is not None and preferred.search(key, 0, m.start()) is not None, m.start())
                if rank > best_rank:
                    best, best_rank = label, rank
    return best


def alternation(words) -> str:  # noqa: ANN001
    """A regex alternation of ``words`` as literal text, longest first."""
    return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance: single-character insertions, deletions and substitutions."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]
