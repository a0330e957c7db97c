"""Facts about a media file, probed once into a frozen record (PyAV: the wheel has no ffprobe)."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

from .hdr import Hdr, detect, dolby_vision_profile, icc_cicp, light_levels, png_cicp

IMAGE_EXT = {".png", ".jpg", ".jpeg", ".webp", ".bmp", ".gif", ".tif", ".tiff"}
# pictures Pillow cannot read but FFmpeg can (AV1 and HEVC stills, often HDR from phones)
FFMPEG_IMAGE_EXT = {".avif", ".heic", ".heif"}


class ProbeError(Exception):
    pass


@dataclass(frozen=True)
class MediaInfo:
    path: Path
    kind: str  # video | image | audio
    width: int = 0
    height: int = 0
    fps: float = 0.0
    duration: float = 0.0
    has_audio: bool = False
    audio_channels: int = 0
    audio_rate: int = 0
    rotation: int = 0
    codec: str = ""
    pix_fmt: str = ""
    start: float = 0.0  # the first video timestamp, seconds (sources need not start at 0)
    hdr: Hdr | None = None  # HLG or PQ light: converted to the SDR output (media/hdr.py)

    def as_dict(self) -> dict:
        d = dict(self.__dict__)
        d["path"] = str(self.path)
        d["hdr"] = self.hdr.as_dict() if self.hdr else None
        return d


def sha256(path: Path) -> str:
    """The file's sha256, read once per (path, size, mtime) however many stages ask."""
    st = path.stat()
    return _sha256(path, st.st_size, st.st_mtime_ns)


@functools.lru_cache(maxsize=512)
def _sha256(path: Path, size: int, mtime_ns: int) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def probe_image(path: Path) -> MediaInfo:
    from PIL import Image, ImageOps

    if path.suffix.lower() in FFMPEG_IMAGE_EXT:
        return probe_ffmpeg_image(path)
    try:
        with Image.open(path) as im:
            im.load()
            icc, codec, mode = im.info.get("icc_profile"), im.format or "", im.mode
            size = ImageOps.exif_transpose(im).size
    except Exception as exc:  # Pillow raises many types for damaged files
        raise ProbeError(f"not a readable image ({type(exc).__name__}: {exc})") from None
    tags = (png_cicp(path) if codec == "PNG" else None) or icc_cicp(icc)
    hdr = None
    if tags is not None:  # a PNG cICP chunk or an ICC cicp tag: maybe HLG or PQ
        hdr = detect(tags[1], tags[0], tags[2], tags[3], 16 if "16" in mode else 8)
        if hdr is not None and codec == "PNG":
            hdr = _with_bits(path, hdr)
    return MediaInfo(path, "image", size[0], size[1], codec=codec, pix_fmt=mode, hdr=hdr)


def _with_bits(path: Path, hdr: Hdr) -> Hdr:
    """Pillow reads 16-bit RGB as 8-bit: the PNG header's bit depth says what the file holds."""
    from dataclasses import replace

    with open(path, "rb") as f:
        head = f.read(25)
    return replace(hdr, bits=head[24]) if len(head) == 25 else hdr


def probe_ffmpeg_image(path: Path) -> MediaInfo:
    """An AVIF or HEIC still, decoded by FFmpeg (Pillow has no plugin for them here)."""
    import av

    kind = path.suffix.lower().lstrip(".").upper()
    try:
        with av.open(str(path)) as c:
            v = c.streams.video[0]
            frame = _first_frame(v)
            hdr = _hdr(path, v, frame)
            codec, pix = v.codec_context.name, str(v.codec_context.pix_fmt or "")
            return MediaInfo(
                path, "image", frame.width, frame.height, codec=codec, pix_fmt=pix, hdr=hdr
            )
    except Exception as exc:
        raise ProbeError(
            f"this {kind} picture cannot be read by the bundled FFmpeg "
            f"({type(exc).__name__}: {exc}); export it as PNG or JPEG"
        ) from None


def _first_frame(stream):  # type: ignore[no-untyped-def]
    for frame in stream.container.decode(stream):
        return frame
    raise ProbeError("the video stream has no decodable frames")


def _hdr(path: Path, stream, frame) -> Hdr | None:  # type: ignore[no-untyped-def]
    """HLG or PQ from the first frame's colour tags (the stream's when the frame has none)."""
    cc = stream.codec_context

    def tag(name: str) -> int | None:
        value = getattr(frame, name, None) or getattr(cc, name, None)
        return int(value) if value is not None else None

    trc = tag("color_trc")
    if trc not in (16, 18):
        if cc.name in ("hevc", "av1") and dolby_vision_profile(path).startswith("5"):
            raise ProbeError(
                "Dolby Vision profile 5 has no base layer an ordinary decoder shows right "
                "(its colours would come out green and purple); export the clip as HDR10, "
                "HLG or SDR (most phones and editors offer it)"
            )
        return None
    pix = str(cc.pix_fmt or "")
    bits = 12 if "12" in pix else 10 if "10" in pix else 8
    return detect(
        trc,
        tag("color_primaries"),
        tag("colorspace"),
        tag("color_range") == 2,
        bits,
        light_levels(getattr(frame, "side_data", None)),
        dolby_vision_profile(path),
    )


def probe_av(path: Path) -> MediaInfo:
    import av

    try:
        with av.open(str(path)) as c:
            v = next((s for s in c.streams if s.type == "video"), None)
            a = next((s for s in c.streams if s.type == "audio"), None)
            if v is None and a is None:
                raise ProbeError("no video or audio stream")
            dur = float(c.duration / 1_000_000) if c.duration else 0.0
            if v is not None:
                if v.duration and v.time_base:
                    dur = float(v.duration * v.time_base) or dur
                rate = v.average_rate or v.guessed_rate or 0
                w, h = v.codec_context.width, v.codec_context.height
                codec, pix = v.codec_context.name, str(v.codec_context.pix_fmt or "")
                first = _first_frame(v)
                rot = int(round(getattr(first, "rotation", 0) or 0)) % 360
                hdr = _hdr(path, v, first)
                start = float(v.start_time * v.time_base) if v.start_time is not None else 0.0
                if not w or not h:
                    raise ProbeError("the video stream has no picture size")
                if rot in (90, 270):
                    w, h = h, w
                kind = "video"
            else:
                rate, w, h, codec, pix, rot, kind = 0, 0, 0, a.codec_context.name, "", 0, "audio"
                start, hdr = 0.0, None
                for _ in c.decode(a):
                    break
                else:
                    raise ProbeError("the audio stream has no decodable frames")
            return MediaInfo(
                path,
                kind,
                w,
                h,
                float(rate),
                dur,
                a is not None,
                a.codec_context.channels if a is not None else 0,
                a.codec_context.sample_rate if a is not None else 0,
                rot,
                codec,
                pix,
                start,
                hdr,
            )
    except ProbeError:
        raise
    except Exception as exc:
        raise ProbeError(f"not a readable media file ({type(exc).__name__}: {exc})") from None


def probe(path: Path) -> MediaInfo:
    """Open and decode the start of a file; ProbeError says what is wrong with it.
    Facts are kept per (path, size, mtime): a render probes each file once, however many
    stages and variants ask."""
    if not path.exists():
        raise ProbeError("file not found")
    if path.is_dir():
        raise ProbeError("is a folder, not a file")
    st = path.stat()
    if st.st_size == 0:
        raise ProbeError("the file is empty (0 bytes)")
    return _probe(path, st.st_size, st.st_mtime_ns)


@functools.lru_cache(maxsize=512)
def _probe(path: Path, size: int, mtime_ns: int) -> MediaInfo:
    if path.suffix.lower() in IMAGE_EXT | FFMPEG_IMAGE_EXT:
        return probe_image(path)
    info = probe_av(path)
    if info.kind == "video" and info.duration <= 0:
        raise ProbeError("the video has no duration (truncated?)")
    return info
