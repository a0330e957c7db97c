"""HDR sources: what a file says about its light (HLG or PQ in BT.2020, Dolby Vision), and how
cmforge brings it to the BT.709 SDR output (the choice and its measured reasons: docs/hdr.md).

The conversion (CHOICE below; compile/colour.py writes it as filters):

    zscale   the file's transfer -> linear light, 1.0 = reference white, 203 cd/m² (npl)
    zscale   BT.2020 -> BT.709 primaries (in float: nothing clipped yet)
    tonemap  mobius, param 0.8, desat 0: identity below 0.8 × reference white, the highlights
             up to the source's peak rolled off into the last fifth below white
    zscale   linear -> BT.709 transfer, BT.709 matrix, limited range

Measured on an SDR ColorChecker stored as a phone stores HLG and PQ (bench/hdr_bench.py):
in-gamut mid-tones within ΔE2000 1.95 (HLG) and 2.22 (PQ), white at L* 96.4; hable and reinhard
(at 100 or 203 cd/m²) and mobius at FFmpeg's default knee darken white to L* 70-89, a 100 cd/m²
reference white makes mid-tones 13-18 ΔE2000 too light, and a plain clip at 203 cd/m² (ΔE 1.84,
L* 100) flattens every highlight above reference white to one white."""

from __future__ import annotations

import struct
from dataclasses import asdict, dataclass
from pathlib import Path

# Without light-level metadata: HLG's reference display peak (BT.2100), and the common HDR10
# mastering peak for PQ.
DEFAULT_PEAK = 1000.0


@dataclass(frozen=True)
class ToneMap:
    """How HDR light becomes SDR: which linear light is SDR white, and FFmpeg's tonemap curve
    for what is brighter ("clip": none, everything above white is white)."""

    curve: str = "mobius"
    param: float | None = 0.8  # mobius: below 0.8 × reference white the picture is untouched
    desat: float = 0.0  # FFmpeg's default 2 lifted the light greys (224 -> 239): measured
    # ITU-R BT.2408: HDR reference (diffuse) white is 203 cd/m² (HLG 75 %, PQ 58 %); SDR white
    # goes there, so footage looks in the ad as it looked on the phone's SDR preview
    reference_white: float = 203.0


CHOICE = ToneMap()  # measured against the alternatives: bench/hdr_bench.py, docs/hdr.md

# FFmpeg's (and H.273's) numbers for the colour tags PyAV reports
TRANSFERS = {16: "smpte2084", 18: "arib-std-b67"}
KIND = {"smpte2084": "pq", "arib-std-b67": "hlg"}
PRIMARIES = {1: "bt709", 5: "bt470bg", 6: "smpte170m", 9: "bt2020", 11: "smpte431", 12: "smpte432"}
MATRICES = {0: "gbr", 1: "bt709", 5: "bt470bg", 6: "smpte170m", 9: "bt2020nc", 10: "bt2020c"}


@dataclass(frozen=True)
class Hdr:
    """An HDR source's light, as the file states it."""

    transfer: str  # arib-std-b67 (HLG) | smpte2084 (PQ)
    primaries: str = "bt2020"
    matrix: str = "bt2020nc"  # gbr for RGB pictures
    full_range: bool = False
    bits: int = 10
    peak: float = DEFAULT_PEAK  # cd/m², from the file's light levels when it has them
    peak_from: str = "default"  # max-cll | mastering display | default
    dolby_vision: str = ""  # e.g. "8.4": shown through its base layer (these tags)

    @property
    def kind(self) -> str:
        return KIND[self.transfer]

    @property
    def name(self) -> str:
        dv = f"Dolby Vision {self.dolby_vision}, base layer " if self.dolby_vision else ""
        return f"{dv}{self.kind.upper()} {self.primaries} {self.bits}-bit"

    def as_dict(self) -> dict:
        return {"kind": self.kind, **asdict(self)}


def detect(
    trc: int | None,
    primaries: int | None = None,
    matrix: int | None = None,
    full_range: bool = False,
    bits: int = 10,
    light: dict[str, float] | None = None,
    dolby_vision: str = "",
) -> Hdr | None:
    """The Hdr of a source from its colour tags (FFmpeg's numbers); None for SDR. A file with
    an HLG or PQ transfer is HDR whatever its other tags; missing primaries mean BT.2020."""
    transfer = TRANSFERS.get(int(trc or 0))
    if transfer is None:
        return None
    light = light or {}
    peak, peak_from = DEFAULT_PEAK, "default"
    if light.get("max_cll", 0) > 0:
        peak, peak_from = float(light["max_cll"]), "max-cll"
    elif light.get("mastering_peak", 0) > 0:
        peak, peak_from = float(light["mastering_peak"]), "mastering display"
    return Hdr(
        transfer,
        PRIMARIES.get(int(primaries or 0), "bt2020"),
        MATRICES.get(int(matrix if matrix is not None else 9), "bt2020nc"),
        full_range,
        bits,
        peak,
        peak_from,
        dolby_vision,
    )


def light_levels(side_data) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """MaxCLL and the mastering display's peak from a decoded frame's side data (PyAV)."""
    out: dict[str, float] = {}
    for sd in side_data or ():
        name = getattr(sd.type, "name", "")
        raw = bytes(sd)
        if name == "CONTENT_LIGHT_LEVEL" and len(raw) >= 4:
            out["max_cll"] = float(struct.unpack_from("<I", raw, 0)[0])
        elif name == "MASTERING_DISPLAY_METADATA" and len(raw) >= 80:
            # 8 rationals (primaries, white point), then min and max luminance, then the flags
            num, den = struct.unpack_from("<ii", raw, 72)
            has_luminance = len(raw) < 84 or struct.unpack_from("<i", raw, 84)[0]
            if den and has_luminance:
                out["mastering_peak"] = num / den
    return out


def dolby_vision_profile(path: Path) -> str:
    """The Dolby Vision profile and base-layer compatibility of an MP4/MOV ("8.4"), read from
    its dvcC/dvvC box (PyAV does not expose it); "" when the file has none."""
    try:
        with open(path, "rb") as f:
            moov = _top_box(f, b"moov")
    except OSError:
        return ""
    if moov is None:
        return ""
    for tag in (b"dvvC", b"dvcC", b"dvwC"):
        at = moov.find(tag)
        if at >= 0 and len(moov) >= at + 9:
            bits = int.from_bytes(moov[at + 6 : at + 8], "big")
            profile = bits >> 9
            compat = moov[at + 8] >> 4
            return f"{profile}.{compat}" if compat else str(profile)
    return ""


def _top_box(f, name: bytes, limit: int = 64 << 20) -> bytes | None:  # type: ignore[no-untyped-def]
    """The body of a top-level ISO-BMFF box (walking box headers, not reading media data)."""
    while True:
        head = f.read(8)
        if len(head) < 8:
            return None
        size, kind = struct.unpack(">I4s", head)
        body = size - 8
        if size == 1:
            body = struct.unpack(">Q", f.read(8))[0] - 16
        elif size == 0:
            return f.read(limit) if kind == name else None
        if kind == name:
            return f.read(min(body, limit))
        if body < 0:
            return None
        f.seek(body, 1)


def png_cicp(path: Path) -> tuple[int, int, int, bool] | None:
    """A PNG's cICP chunk (primaries, transfer, matrix, full range), read from the chunks
    before the picture data; None when it has none."""
    try:
        with open(path, "rb") as f:
            if f.read(8) != b"\x89PNG\r\n\x1a\n":
                return None
            while True:
                head = f.read(8)
                if len(head) < 8:
                    return None
                size, kind = struct.unpack(">I4s", head)
                if kind == b"cICP" and size >= 4:
                    p, t, m, full = f.read(4)
                    return p, t, m, bool(full)
                if kind in (b"IDAT", b"IEND"):
                    return None
                f.seek(size + 4, 1)
    except OSError:
        return None


def icc_cicp(icc: bytes | None) -> tuple[int, int, int, bool] | None:
    """The 'cicp' tag of an ICC profile (ICC v4.4: how HDR profiles name HLG and PQ)."""
    if not icc or len(icc) < 132:
        return None
    (count,) = struct.unpack_from(">I", icc, 128)
    for i in range(min(count, 200)):
        at = 132 + 12 * i
        if at + 12 > len(icc):
            return None
        sig, offset, size = struct.unpack_from(">4sII", icc, at)
        if sig == b"cicp" and size >= 12 and offset + 12 <= len(icc):
            p, t, m, full = icc[offset + 8 : offset + 12]
            return p, t, m, bool(full)
    return None
