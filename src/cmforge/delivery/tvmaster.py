"""The Japanese TV commercial master (`--deliver jp-tv-cm`, `check --standard jp-tv-cm`): every
figure of the file a station accepts, once, with the public text it comes from.

The official text (JBA/JAAA 「テレビCM素材搬入基準」, 2021 revision) could not be read here; the
figures are those its public summaries (the JAAA/JBA online-delivery guides, the XDCAM HD422
format sheets, ARIB TR-B32) agree on. docs/delivery.md says which choice rests on which.

Pure: no FFmpeg, no file. The builder (tvmaster_build.py) and the check (tvmaster_check.py)
read the same `TvSpec`, so a master is judged by the numbers it was made to.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from fractions import Fraction

from .standards import STANDARDS, Standard

NAME = "jp-tv-cm"  # output.deliver / --deliver / check --standard

# Picture: HD 1080/59.94i, 16:9 (ARIB STD-B56 / BTA S-001C; 「搬入基準」: HD only since 2021)
WIDTH, HEIGHT = 1920, 1080
ASPECT = Fraction(16, 9)
FPS = Fraction(30000, 1001)  # 29.97 frames (59.94 fields) a second
FIELD_ORDER = "tt"  # top field first (FFmpeg's name): the 1080i order of BTA S-001 / SMPTE 274M
# XDCAM MPEG HD422 (Sony/SMPTE RDD 9): MPEG-2 422P@HL, 50 Mb/s constant, long GOP 12 (M=3)
VIDEO_CODEC, VIDEO_PROFILE, PIX_FMT = "mpeg2video", "4:2:2", "yuv422p"
VIDEO_BITRATE = 50_000_000  # b/s
BITRATE_SLACK = 0.1  # a measured average within 10 % of 50 Mb/s (stuffing makes it exact)
GOP, B_FRAMES = 12, 2
# Sound: LPCM 48 kHz 24-bit, stereo as two mono tracks (CH1 L, CH2 R), as XDCAM HD422 carries it
AUDIO_CODEC, AUDIO_RATE, AUDIO_BITS, AUDIO_CHANNELS = "pcm_s24le", 48000, 24, 2
# Container: MXF OP1a (SMPTE 378M); FFmpeg reports the operational pattern's UL
OP1A_UL = "060e2b34.04010101.0d010201.01010900"
# Layout (「搬入基準」 public summaries): bars + 1 kHz tone 5 s, credit card 2 s, first picture
# held 3 s, the CM from 01:00:00;00 (drop-frame), last picture held 3 s, nothing after
BARS_SECONDS, CARD_SECONDS, HOLD_SECONDS, TAIL_SECONDS = 5, 2, 3, 3
CM_TIMECODE = "01:00:00;00"
TONE_HZ = 1000
TONE_DBFS = -20.0  # the Japanese reference level (ARIB TR-B32: -20 dBFS alignment tone)
CM_SECONDS = (15, 30)  # the CM itself: 15 s = 450 frames or 30 s = 900 frames
EDGE_SILENT_FRAMES = 15  # the CM's first and last 15 frames silent (stations cut there)
LOUDNESS: Standard = STANDARDS["jp-tv"]  # -24 LKFS ±1 (ARIB TR-B32, JBA T032)
# CM code: 4-character advertiser code + 6-character material code; capitals and digits
# without I and O (they read as 1 and 0): the CM code rules of the JAAA/JBA CM素材管理
CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
ADVERTISER_LEN, MATERIAL_LEN = 4, 6
CODE_RE = re.compile(rf"^[{CODE_ALPHABET}]{{{ADVERTISER_LEN + MATERIAL_LEN}}}$")


@dataclass(frozen=True)
class TvSpec:
    """The master's layout in frames at 29.97 fps. Tests make a short one with `replace`; a
    delivery always uses `SPEC`."""

    width: int = WIDTH
    height: int = HEIGHT
    bitrate: int = VIDEO_BITRATE
    bars: int = round(BARS_SECONDS * FPS)  # 150
    card: int = round(CARD_SECONDS * FPS)  # 60
    hold: int = round(HOLD_SECONDS * FPS)  # 90: the first picture held
    tail: int = round(TAIL_SECONDS * FPS)  # 90: the last picture held
    lengths: tuple[int, ...] = tuple(round(s * 30) for s in CM_SECONDS)  # 450, 900 frames
    edge_silent: int = EDGE_SILENT_FRAMES

    @property
    def leader(self) -> int:
        """Frames before the CM's first frame."""
        return self.bars + self.card + self.hold

    @property
    def start_frame(self) -> int:
        """The file's first frame as a drop-frame frame number."""
        return tc_frames(CM_TIMECODE) - self.leader

    @property
    def start_timecode(self) -> str:
        return frames_tc(self.start_frame)

    def seconds(self, frames: int) -> float:
        return float(frames / FPS)


SPEC = TvSpec()


# --- drop-frame timecode (SMPTE 12M): frames 0 and 1 are skipped at every minute not a tenth ---
_PER_MIN, _PER_10MIN = 30 * 60 - 2, 30 * 600 - 18


def tc_frames(tc: str) -> int:
    """The frame number of a drop-frame timecode 'HH:MM:SS;FF'."""
    h, m, s, f = (int(x) for x in re.split("[:;.]", tc))
    minutes = 60 * h + m
    return (minutes * 60 + s) * 30 + f - 2 * (minutes - minutes // 10)


def frames_tc(n: int) -> str:
    """The drop-frame timecode of frame number n."""
    tens, rest = divmod(n, _PER_10MIN)
    extra = 0 if rest < 2 else 2 * ((rest - 2) // _PER_MIN)
    n += 18 * tens + extra
    f, s = n % 30, n // 30
    return f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d};{f:02d}"


def is_drop_frame(tc: str) -> bool:
    """SMPTE's way of writing drop-frame: ';' (or '.') before the frames."""
    return bool(re.fullmatch(r"\d\d:\d\d:\d\d[;.]\d\d", tc.strip()))


# --- CM codes ---
def code_problem(code: str, prefix_ok: bool = False) -> str:
    """Why `code` is not a CM code ('' when it is one; with `prefix_ok`, 4 characters, the
    advertiser code, are one too)."""
    if len(code) not in (ADVERTISER_LEN + MATERIAL_LEN, ADVERTISER_LEN if prefix_ok else -1):
        return f"{code!r} has {len(code)} characters; a CM code has 10 (4 advertiser + 6 material)"
    bad = sorted({c for c in code if c not in CODE_ALPHABET})
    if bad:
        chars = ", ".join(repr(c) for c in bad)
        return f"{code!r} has {chars}: only capitals and digits, no I or O"
    return ""


def _chars(digest: bytes, n: int) -> str:
    value = int.from_bytes(digest, "big")
    out = []
    for _ in range(n):
        value, r = divmod(value, len(CODE_ALPHABET))
        out.append(CODE_ALPHABET[r])
    return "".join(out)


def advertiser_code(advertiser: str) -> str:
    """A stable 4-character stand-in for the advertiser code an agency registers."""
    return _chars(hashlib.sha256(("advertiser:" + advertiser).encode()).digest(), ADVERTISER_LEN)


def derive_code(prefix: str, material: tuple) -> str:
    """prefix (4 characters) + 6 characters that differ for every distinct material: the
    same (variant, width, height, frames) always gives the same code."""
    key = "|".join(map(str, material)).encode()
    return prefix + _chars(hashlib.sha256(key).digest(), MATERIAL_LEN)


def output_problems(
    width: int, height: int, fps: float, duration: float | None, cm_code: str
) -> list[tuple[str, str, str]]:
    """(key, message, hint) for an output a TV master cannot be made from."""
    out = []
    if Fraction(width, height) != ASPECT:
        out.append(
            (
                "output.format",
                f"a TV master is 16:9; this output is {width}x{height}",
                'set output.format = "landscape" (or a 16:9 output.size) for the TV variant',
            )
        )
    if abs(fps - 30) > 1e-6:  # 30 frames conform one for one to 29.97 (450 stay 450)
        out.append(("output.fps", f"a TV master is made from 30 fps; this is {fps:g}", "fps = 30"))
    if duration is None or round(duration * 30) not in SPEC.lengths:
        out.append(
            (
                "output.duration",
                f"a TV commercial is exactly 15 or 30 s; this is {duration or 'not set'}",
                "output.duration = 15 (or 30)",
            )
        )
    if cm_code and code_problem(cm_code, prefix_ok=True):
        out.append(
            (
                "output.cm_code",
                code_problem(cm_code, prefix_ok=True),
                "10 characters (e.g. AB12C34567), or 4 (the advertiser code) to derive the rest",
            )
        )
    return out
