"""Where a line may break, and how good each break is: clusters, 禁則, BudouX phrases (文節).
Pure functions; no Pillow here.

Breaking works on clusters (a base character plus anything that must stay glued to it:
variation selectors, ZWJ sequences, skin-tone modifiers, combining marks, flag pairs). Between
two clusters a break has a level, from the best:

phrase: a boundary of BudouX's Japanese model (新学期スタートダッシュキャンペーンは|3月31日で|
  締め切ります), or after a run of spaces: where lines should break. BudouX boundaries between
  two kanji, which its model sometimes puts inside a compound (無料体|験授業), cost a little;
word: inside a phrase, a change of script (限定|キャンペーン, 新学期|スタート), after a particle
  or a run of kana before kanji (勉強が|楽しく, but 申し込み stays whole), keeping お/ご with the
  word they prefix, between the katakana words of words.py (スタート|ダッシュ): used when a
  phrase is wider than the line;
segment, then run: any other break 禁則 allows, at a change of script (コース|で) before one
  inside a run of one script (チャレン|ジ): used when a word is wider than the line;
glue: inside a Latin word or a number ("No.1!", "1,980"), or between a number and its unit
  (30%, 1,980円, 10万円, 3ヶ月, 第1位): broken only as a last resort;
kinsoku: 禁則 forbids it (no 。」ー or small kana at a line start, no 「（ at a line end): only
  where nothing else fits (a line narrower than two characters).
"""

from __future__ import annotations

import functools
import itertools
import unicodedata

from .words import katakana_splits

NO_START = frozenset(
    "、。，．・：；？！‼⁇⁈⁉ー」』）］｝〕〉》】〙〗〟’”｠»"
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
    "々〻ゝゞヽヾ゛゜‐゠–〜～｡｣､･ｰｧｨｩｪｫｬｭｮｯﾞﾟ"
    ")]},.!?:;%°′″℃％‰"
)
NO_END = frozenset("「『（［｛〔〈《【〘〖〝‘“｟«([{¥$£€＄￥＃#№")
INSEPARABLE = frozenset("—―…‥〳〴〵")
_PUNCT_AFTER = frozenset("、。，．,.！？!?：；:;」』）］｝〕〉》】〙〗〟’”｠»")
SPACES = " \t\u3000\u200b"
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
    return ch in SPACES


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


# a number keeps these after it on its line: 30%, 1,980円, 10万円, 3ヶ月, 2回目, 100名様
UNITS = frozenset(
    "%％‰円¥￥万億千百十年月日時分秒週歳才人名様回位点個件倍割本枚冊台階号期代度席組級局枠社校"
    "ヶヵカケ目"
)
_NUMBER_PREFIXES = frozenset("第約計全各")


def _glued(cl: list[str], i: int) -> bool:
    """Must the break before cl[i] not fall, to keep a number with its unit or prefix?"""
    a, b = cl[i - 1][0], cl[i][0]
    if b.isdigit():
        return a in _NUMBER_PREFIXES or a in "¥￥$＄#＃№"
    if b not in UNITS:
        return False
    j = i - 1
    while j > 0 and cl[j][0] in UNITS:  # 10万|円: the units after a number stay with it
        j -= 1
    return cl[j][0].isdigit()


def _word_break(cl: list[str], i: int) -> bool:
    """Is the allowed break before ``cl[i]`` a word boundary (a change of script, ...)?"""
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


@functools.cache
def _parser():  # noqa: ANN202 (budoux.Parser)
    import budoux

    return budoux.load_default_japanese_parser()


def _japanese(text: str) -> bool:
    return any(_kind(ch) in ("hira", "kata", "kanji") for ch in text)


@functools.lru_cache(maxsize=4096)
def phrase_starts(paragraph: str) -> frozenset[int]:
    """Offsets (in characters) where BudouX's Japanese model starts a new phrase (文節)."""
    if paragraph.isascii() or not _japanese(paragraph):
        return frozenset()
    chunks = _parser().parse(paragraph)
    if "".join(chunks) != paragraph:  # never seen; then no phrase boundaries rather than wrong ones
        return frozenset()
    return frozenset(itertools.accumulate(len(c) for c in chunks[:-1]))


# the level of a break between two clusters (the module's docstring)
KINSOKU, GLUE, RUN, SEGMENT, WORD, PHRASE = -1, 0, 1, 2, 3, 4


def break_levels(cl: list[str], paragraph: str | None = None) -> tuple[list[int], set[int]]:
    """The level of a break before each cluster (index 0, the paragraph's start, is unused),
    and the phrase boundaries BudouX puts between two kanji (used when they even out lines)."""
    text = "".join(cl) if paragraph is None else paragraph
    starts = phrase_starts(text)
    offsets = [0, *itertools.accumulate(len(c) for c in cl)]
    levels = [KINSOKU] * len(cl)
    weak: set[int] = set()
    for i in range(1, len(cl)):
        a, b = cl[i - 1][0], cl[i][0]
        if a in "-/" and i >= 2 and cl[i - 2][0].isalnum() and b.isalnum():
            levels[i] = SEGMENT  # 0120-|123-|456, web/|app: after a hyphen or slash
        elif not can_break(cl[i - 1], cl[i]):
            levels[i] = GLUE if _narrow(_kind(a)) and _narrow(_kind(b)) else KINSOKU
        elif _glued(cl, i):
            levels[i] = GLUE
        elif is_space(a):
            levels[i] = PHRASE
        elif offsets[i] in starts:
            levels[i] = PHRASE
            if _kind(a) == _kind(b) == "kanji":  # 無料体|験授業: the model's known slip
                weak.add(i)
        elif _word_break(cl, i):
            levels[i] = WORD
        else:  # チャレンジ|コース is worse than コース|で: inside a run of one script
            levels[i] = RUN if _kind(a) == _kind(b) else SEGMENT
    for start, end in _runs(cl, "kata"):  # スタート|ダッシュ|キャンペーン, from text/words.py
        run = "".join(cl[start:end])
        at = dict(zip(itertools.accumulate(len(c) for c in cl[start:end]), range(start + 1, end)))
        for cut in katakana_splits(run):
            if cut in at and levels[at[cut]] == RUN:
                levels[at[cut]] = WORD
    for i in range(2, len(cl)):  # honorific prefix: 今すぐ|お申し込み, not 今すぐお|申し込み
        if levels[i] == WORD and cl[i - 1] in _PREFIXES and _kind(cl[i][0]) in ("kanji", "kata"):
            if levels[i - 1] in (RUN, SEGMENT) and _kind(cl[i - 2][0]) == "hira":
                levels[i - 1] = WORD
            levels[i] = SEGMENT
    return levels, weak


def _runs(cl: list[str], kind: str) -> list[tuple[int, int]]:
    """[start, end) of every run of at least two clusters of one script."""
    out, start = [], 0
    for i in range(1, len(cl) + 1):
        if i == len(cl) or _kind(cl[i][0]) != kind or _kind(cl[start][0]) != kind:
            if i - start >= 2 and _kind(cl[start][0]) == kind:
                out.append((start, i))
            start = i
    return out
