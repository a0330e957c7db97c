"""The edit as MLT XML (Shotcut, Kdenlive; `melt project.mlt` renders it).

Layout: track 0 is the scenes (a playlist; a dissolve is a small tractor in the playlist, as
Shotcut writes it: the outgoing clip's last N frames and the incoming clip's first N frames
with a `luma` (a dissolve without a wipe file) and a `mix` of their sound), the tracks above
hold the caption and overlay PNGs, composited with `composite`; the sound tracks below are mixed
in with `mix`. Times are whole frames of the profile's rational frame rate."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from .edit import Edit, VideoClip


def _el(parent, tag: str, props: dict | None = None, **attrs) -> ET.Element:
    e = ET.SubElement(parent, tag, {k: str(v) for k, v in attrs.items()})
    for k, v in (props or {}).items():
        p = ET.SubElement(e, "property", name=k)
        p.text = str(v)
    return e


def _clock(frames: float, edit: Edit) -> str:
    s = float(frames / edit.fps)
    return f"{int(s // 3600):02d}:{int(s % 3600 // 60):02d}:{s % 60:06.3f}"


class _Doc:
    def __init__(self, edit: Edit, names: dict[Path, str]):
        self.edit, self.names, self.n = edit, names, 0
        self.root = ET.Element("mlt", LC_NUMERIC="C", version="7.0.0", title=edit.name)
        fps = edit.fps
        _el(
            self.root,
            "profile",
            description=f"{edit.width}x{edit.height} {float(fps):g} fps",
            width=edit.width,
            height=edit.height,
            progressive=1,
            sample_aspect_num=1,
            sample_aspect_den=1,
            display_aspect_num=edit.width,
            display_aspect_den=edit.height,
            frame_rate_num=fps.numerator,
            frame_rate_den=fps.denominator,
            colorspace=709,
        )

    def producer(self, media: Path, length: int, still: bool, mute: bool = False) -> str:
        self.n += 1
        pid = f"producer{self.n}"
        props: dict = {"resource": self.names[media], "length": length}
        if still:
            props |= {"ttl": 1, "aspect_ratio": 1}  # a picture held as long as asked
        p = _el(self.root, "producer", props, id=pid, **{"in": 0, "out": length - 1})
        if mute:
            _el(p, "filter", {"mlt_service": "volume", "gain": 0})
        return pid

    def clip_producer(self, c: VideoClip) -> str:
        """A scene's media; a clip's own sound is on a sound track of its own, so muted here."""
        length = max(c.available or 0, c.src_in + c.frames)
        pid = self.producer(c.media, length, c.still, mute=not c.still)
        if not c.still and c.fit == "cover":  # cropped to the frame's shape, as cmforge does
            prod = self.root.find(f"producer[@id='{pid}']")
            _el(prod, "filter", {"mlt_service": "crop", "center": 1, "use_profile": 1})
        return pid


def write(edit: Edit, names: dict[Path, str], dest: Path) -> Path:
    d = _Doc(edit, names)
    root = d.root
    ids = [d.clip_producer(c) for c in edit.clips]
    # scenes: each clip from the end of the dissolve into it to the start of the next one
    main = ET.Element("playlist", id="scenes")
    ET.SubElement(main, "property", name="shotcut:video").text = "1"
    ET.SubElement(main, "property", name="shotcut:name").text = "V1 scenes"
    mixes = []
    for n, c in enumerate(edit.clips):
        head = c.dissolve_in
        tail = edit.clips[n + 1].dissolve_in if n + 1 < len(edit.clips) else 0
        if head:
            prev, pc = ids[n - 1], edit.clips[n - 1]
            tr = ET.Element("tractor", id=f"dissolve{n}", **{"in": "0", "out": str(head - 1)})
            ET.SubElement(tr, "property", name="shotcut:transition").text = "lumaMix"
            a_out = pc.src_in + pc.frames - 1
            ET.SubElement(
                tr, "track", producer=prev, **{"in": str(a_out - head + 1), "out": str(a_out)}
            )
            ET.SubElement(
                tr,
                "track",
                producer=ids[n],
                **{"in": str(c.src_in), "out": str(c.src_in + head - 1)},
            )
            _el(
                tr,
                "transition",
                {"mlt_service": "luma", "a_track": 0, "b_track": 1, "softness": 0},
                **{"in": 0, "out": head - 1},
            )
            _el(
                tr,
                "transition",
                {"mlt_service": "mix", "a_track": 0, "b_track": 1, "start": 0, "end": 1},
                **{"in": 0, "out": head - 1},
            )
            mixes.append(tr)
            ET.SubElement(
                main, "entry", producer=f"dissolve{n}", **{"in": "0", "out": str(head - 1)}
            )
        first, last = c.src_in + head, c.src_in + c.frames - tail - 1
        if last >= first:
            ET.SubElement(main, "entry", producer=ids[n], **{"in": str(first), "out": str(last)})
    for tr in mixes:
        root.append(tr)
    root.append(main)
    tracks = ["scenes"]
    for kind in ("overlays", "captions"):
        layers = [x for x in edit.layers if x.track == kind]
        if not layers:
            continue
        pl = ET.Element("playlist", id=kind)
        ET.SubElement(pl, "property", name="shotcut:video").text = "1"
        at = 0
        for x in layers:
            pid = d.producer(x.media, x.end - x.start, True)
            if x.start > at:
                ET.SubElement(pl, "blank", length=str(x.start - at))
            ET.SubElement(pl, "entry", producer=pid, **{"in": "0", "out": str(x.end - x.start - 1)})
            at = x.end
        root.append(pl)
        tracks.append(kind)
    video_tracks = len(tracks)
    for i, s in enumerate(edit.sounds):
        rate = float(edit.fps)
        src_in = round(s.src_in * rate)
        pid = d.producer(s.media, src_in + s.frames, False)
        prod = root.find(f"producer[@id='{pid}']")
        level = [f"{_clock(0, edit)}={s.volume_db:.2f}"]
        if s.fade_in:
            level = [
                f"{_clock(0, edit)}=-60",
                f"{_clock(s.fade_in * rate, edit)}={s.volume_db:.2f}",
            ]
        if s.fade_out:
            end = s.frames - 1
            level += [
                f"{_clock(max(0, end - s.fade_out * rate), edit)}={s.volume_db:.2f}",
                f"{_clock(end, edit)}=-60",
            ]
        _el(prod, "filter", {"mlt_service": "volume", "level": ";".join(level)})
        pl = ET.Element("playlist", id=f"audio{i + 1}")
        ET.SubElement(pl, "property", name="shotcut:audio").text = "1"
        ET.SubElement(pl, "property", name="shotcut:name").text = f"A{i + 1} {s.track}"
        if s.start:
            ET.SubElement(pl, "blank", length=str(s.start))
        ET.SubElement(
            pl, "entry", producer=pid, **{"in": str(src_in), "out": str(src_in + s.frames - 1)}
        )
        root.append(pl)
        tracks.append(pl.get("id"))
    tractor = _el(root, "tractor", {"shotcut": 1}, id="main", **{"in": 0, "out": edit.frames - 1})
    multi = ET.SubElement(tractor, "multitrack")
    for t in tracks:
        kw = {"hide": "video"} if t.startswith("audio") else {}
        ET.SubElement(multi, "track", producer=t, **kw)
    for i in range(1, len(tracks)):
        _el(
            tractor,
            "transition",
            {"mlt_service": "mix", "a_track": 0, "b_track": i, "always_active": 1, "sum": 1},
        )
        if i < video_tracks:
            # composite (MLT's core module: no display needed, unlike qtblend) lays the
            # full-frame PNG over the tracks below by its alpha
            _el(
                tractor,
                "transition",
                {
                    "mlt_service": "composite",
                    "a_track": 0,
                    "b_track": i,
                    "fill": 1,
                    "geometry": "0/0:100%x100%",
                },
            )
    markers = ET.SubElement(tractor, "properties", name="shotcut:markers")
    for i, (name, start, frames) in enumerate(edit.markers):
        _el(
            markers,
            "properties",
            {
                "text": name,
                "start": _clock(start, edit),
                "end": _clock(start + frames - 1, edit),
                "color": "#2a82da",
            },
            name=i,
        )
    ET.indent(root)
    ET.ElementTree(root).write(dest, encoding="utf-8", xml_declaration=True)
    return dest
