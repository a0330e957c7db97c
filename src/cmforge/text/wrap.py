"""Japanese-aware line breaking (禁則処理) as pure functions; no Pillow here.

Breaking works on three levels:

* clusters: a base character plus anything that must stay glued to it (variation selectors,
  ZWJ sequences, skin-tone modifiers, combining marks, flag pairs);
* segments: runs of clusters between *allowed* break points.  Kinsoku rules forbid a break
  before closing punctuation / small kana / ー and after opening brackets, so the character in
  front of a 。 is carried to the next line together with it (追い出し, push-out).  Latin words
  and numbers ("No.1!") are never split, except character by character as a last resort;
* phrases (文節-like, heuristic, no dictionary): runs of segments between *preferred* break
  points: after spaces and punctuation, before opening brackets, after particles and kana runs
  followed by kanji (勉強が|楽しく, but 申し込み stays whole), at kanji↔katakana↔Latin changes
  (限定|キャンペーン|実施中; 第1位 stays whole), keeping お/ご with the word they prefix.
  Phrase-level wrapping is used whenever it needs no more lines than segment-level wrapping.

Widths come from a caller-supplied ``measure`` that should return the *ink* width of a string;
trailing punctuation such as 。 or 」 then counts only with its inked half, which lets it be
pushed into a full line (追い込み / ぶら下げ-lite) instead of being pushed out.
"""

from __future__ import annotations

import functools
import itertools
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

Measure = Callable[[str], float]

NO_START = frozenset(
    "、。，．・：；？！‼⁇⁈⁉ー」』）］｝〕〉》】〙〗〟’”｠»"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
    "々〻ゝゞヽヾ゛゜‐゠–〜～｡｣､･ｰｧｨｩｪｫｬｭｮｯﾞﾟ"
    ")]},.!?:;%°′″℃％‰"
)
NO_END = frozenset("「『（［｛〔〈《【〘〖〝‘“｟«([{¥$£€＄￥＃#№")
INSEPARABLE = frozenset("—―…‥〳〴〵")
_PUNCT_AFTER = frozenset("、。，．,.！？!?：；:;」』）］｝〕〉》】〙〗〟’”｠»")
_SPACES = " \t\u3000\u200b"
_PREFIXES = frozenset("おご")
_PARTICLES = frozenset("がをにはでともへやの")


@functools.cache
def _is_extend(ch: str) -> bool:
    cp = ord(ch)
    return (
        0xFE00 <= cp <= 0xFE0F
        or 0xE0100 <= cp <= 0xE01EF
        or 0x1F3FB <= cp <= 0x1F3FF
        or 0xE0020 <= cp <= 0xE007F
        or cp in (0x200D, 0x20E3)
        or unicodedata.category(ch) in ("Mn", "Me", "Mc")
    )


def _is_ri(ch: str) -> bool:
    return 0x1F1E6 <= ord(ch) <= 0x1F1FF


def clusters(text: str) -> list[str]:
    """Split text into user-perceived characters (simplified grapheme clusters)."""
    if text.isascii():
        return list(text)
    out: list[str] = []
    joined = False
    for ch in text:
        if out and (
            joined or _is_extend(ch) or (_is_ri(ch) and len(out[-1]) == 1 and _is_ri(out[-1]))
        ):
            out[-1] += ch
        else:
            out.append(ch)
        joined = ch == "\u200d"
    return out


def is_space(ch: str) -> bool:
    return ch in _SPACES


def _kind(ch: str) -> str:
    """Coarse script class used for breaking decisions."""
    cp = ord(ch)
    if is_space(ch):
        return "space"
    if 0x3041 <= cp <= 0x309F:
        return "hira"
    if 0x30A0 <= cp <= 0x30FF or 0x31F0 <= cp <= 0x31FF or 0xFF66 <= cp <= 0xFF9F:
        return "kata"
    if (
        0x3400 <= cp <= 0x9FFF
        or 0xF900 <= cp <= 0xFAFF
        or 0x20000 <= cp <= 0x3FFFF
        or ch in "々〆〇"
    ):
        return "kanji"
    if 0xFF10 <= cp <= 0xFF19:
        return "digit"
    if 0xFF21 <= cp <= 0xFF3A or 0xFF41 <= cp <= 0xFF5A:
        return "latin"
    if unicodedata.east_asian_width(ch) in ("W", "F", "H") or unicodedata.category(ch) == "So":
        return "wide"  # CJK punctuation, fullwidth forms, emoji, symbols
    return "digit" if ch.isdigit() else "latin"


def _narrow(kind: str) -> bool:
    return kind in ("latin", "digit")


def can_break(a: str, b: str) -> bool:
    """May a line break fall between clusters ``a`` and ``b``?"""
    ca, cb = a[0], b[0]
    if is_space(cb):
        return False  # break after a run of spaces, never before it
    if cb in NO_START:
        return False
    if is_space(ca):
        return True
    if ca in NO_END or (ca == cb and ca in INSEPARABLE):
        return False
    return not (_narrow(_kind(ca)) and _narrow(_kind(cb)))


def _phrase_break(cl: list[str], i: int) -> bool:
    """Is the allowed break before ``cl[i]`` also a good phrase (文節) boundary?"""
    ca, cb = cl[i - 1][0], cl[i][0]
    ka, kb = _kind(ca), _kind(cb)
    if ka == "space" or ca in _PUNCT_AFTER or cb in NO_END or "wide" in (ka, kb):
        return True
    if ka == "hira":
        if kb == "hira":
            return False
        if kb != "kanji" or ca in _PARTICLES:
            return True
        # single okurigana inside a compound (申し込み, 取り扱い) is not a boundary
        return i >= 2 and _kind(cl[i - 2][0]) == "hira"
    if ka == "latin":
        return kb in ("kanji", "kata")
    if ka == "kanji":  # 限定|キャンペーン, 合格|No.1 (but 第1位 stays whole)
        return kb in ("kata", "latin")
    return ka == "kata" and kb in ("kanji", "latin")  # キャンペーン|実施中


def units(paragraph: str, phrase: bool) -> list[list[str]]:
    """Phrases of kinsoku-safe segments.  With ``phrase=False`` every segment is a phrase."""
    cl = clusters(paragraph)
    seg_breaks = [i for i in range(1, len(cl)) if can_break(cl[i - 1], cl[i])]
    bounds = [0, *seg_breaks, len(cl)]
    spans = [(s, e) for s, e in itertools.pairwise(bounds) if e > s]
    if not phrase:
        return [["".join(cl[s:e])] for s, e in spans]
    allowed = set(seg_breaks)
    good = {i for i in seg_breaks if _phrase_break(cl, i)}
    for i in sorted(good):  # honorific prefix: 今すぐ|お申し込み, not 今すぐお|申し込み
        if cl[i - 1] in _PREFIXES and _kind(cl[i][0]) in ("kanji", "kata") and i - 1 not in good:
            good.discard(i)
            if i - 1 in allowed and i >= 2 and _kind(cl[i - 2][0]) == "hira":
                good.add(i - 1)
    out: list[list[str]] = []
    for s, e in spans:
        if s in good or not out:
            out.append([])
        out[-1].append("".join(cl[s:e]))
    return out


@dataclass
class WrapResult:
    lines: list[str]
    forced: int = 0  # unbreakable segments (words) that had to be broken by character
    split_phrases: int = 0  # phrases that had to be broken inside
    phrase_ok: bool = True  # every paragraph was broken at phrase boundaries only


def _greedy(parts: list[list[str]], measure: Measure, width: float) -> WrapResult:
    res = WrapResult([])
    cur = ""

    def fits(s: str) -> bool:
        return measure(s.rstrip(_SPACES)) <= width

    def newline() -> None:
        nonlocal cur
        res.lines.append(cur.rstrip(_SPACES))
        cur = ""

    for phrase in parts:
        whole = "".join(phrase)
        if fits(cur + whole):
            cur += whole
            continue
        if cur.strip(_SPACES) and fits(whole.lstrip(_SPACES)):
            newline()
            cur = whole.lstrip(_SPACES)
            continue
        if len(phrase) > 1:
            res.split_phrases += 1
        for seg in phrase:
            if fits(cur + seg):
                cur += seg
                continue
            if cur.strip(_SPACES):
                newline()
                seg = seg.lstrip(_SPACES)
            if fits(cur + seg):
                cur += seg
                continue
            res.forced += 1  # last resort: break inside a word, cluster by cluster
            for c in clusters(seg):
                if cur.strip(_SPACES) and not fits(cur + c):
                    newline()
                    c = c.lstrip(_SPACES)
                cur += c
    res.lines.append(cur.rstrip(_SPACES))
    return res


def _wrap_paragraph(
    para: str, measure: Measure, width: float, balance: bool, phrase: bool
) -> WrapResult:
    parts = units(para, phrase=False)
    best = _greedy(parts, measure, width)
    if len(best.lines) > 1:
        best.phrase_ok = False
        if phrase:
            p_parts = units(para, phrase=True)
            alt = _greedy(p_parts, measure, width)
            alt.phrase_ok = alt.split_phrases == 0
            if len(alt.lines) <= len(best.lines) and alt.forced <= best.forced:
                parts, best = p_parts, alt
    if not balance or len(best.lines) < 2:
        return best
    # Balance: the narrowest width that keeps the same number of lines and breaks no more words.
    lo, hi = 0.0, float(width)
    while hi - lo > max(0.5, width / 400):
        mid = (lo + hi) / 2
        trial = _greedy(parts, measure, mid)
        if (
            len(trial.lines) <= len(best.lines)
            and trial.forced <= best.forced
            and trial.split_phrases <= best.split_phrases
        ):
            hi = mid
        else:
            lo = mid
    if hi >= width:
        return best
    balanced = _greedy(parts, measure, hi)
    balanced.phrase_ok = best.phrase_ok
    return balanced


def wrap(
    text: str, measure: Measure, max_width: float, *, balance: bool = True, phrase: bool = True
) -> WrapResult:
    """Like :func:`layout_lines` but also reports forced word breaks and phrase quality."""
    total = WrapResult([])
    for para in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        res = _wrap_paragraph(para, measure, max_width, balance, phrase)
        total.lines += res.lines
        total.forced += res.forced
        total.split_phrases += res.split_phrases
        total.phrase_ok = total.phrase_ok and res.phrase_ok
    return total


def layout_lines(
    text: str,
    measure: Measure,
    max_width: float,
    *,
    balance: bool = True,
    phrase: bool = True,
) -> list[str]:
    """Break ``text`` into lines no wider than ``max_width`` (as judged by ``measure``).

    Explicit newlines are kept.  Kinsoku rules are always applied; ``balance`` evens out line
    lengths (no orphan on the last line); ``phrase`` prefers 文節-like break points.
    """
    return wrap(text, measure, max_width, balance=balance, phrase=phrase).lines
