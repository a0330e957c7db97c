"""The edit as an OpenTimelineIO timeline (`.otio`; FCP 7 XML through the OTIO FCP adapter).

An OTIO transition overlaps its neighbours instead of shortening the track: cmforge's overlap
of N frames (both scenes play, the next one dissolving in) becomes a cut at the first frame of
the overlap with a SMPTE_Dissolve of in_offset 0 and out_offset N; the outgoing clip is cut N
frames before its end and plays those N frames as the transition's handle. So every clip starts
on the frame cmforge's plan shows, and the track lasts exactly the ad's frames."""

from __future__ import annotations

from pathlib import Path

from .edit import Edit

try:
    import opentimelineio as otio
except ImportError:  # pragma: no cover - the [export] extra is not installed
    otio = None


def available() -> str | None:
    """None, or why OTIO export cannot run."""
    if otio is None:
        return "OpenTimelineIO is not installed: pip install 'cmforge[export]'"
    return None


def fcp7_rate_problem(fps) -> str | None:
    """None, or why FCP 7 XML cannot hold this frame rate (its timecode has broadcast rates)."""
    if otio.opentime.RationalTime.is_valid_timecode_rate(float(fps)):
        return None
    return f"FCP 7 XML cannot hold {fps} fps (its timecode knows 23.976 to 60 fps broadcast rates)"


def _rt(frames: float, rate: float):
    return otio.opentime.RationalTime(frames, rate)


def _range(start: float, frames: float, rate: float):
    return otio.opentime.TimeRange(_rt(start, rate), _rt(frames, rate))


def to_otio(edit: Edit, names: dict[Path, str]):
    rate = float(edit.fps)
    tl = otio.schema.Timeline(name=edit.name, global_start_time=_rt(0, rate))
    tl.metadata["cmforge"] = {
        "fps": f"{edit.fps.numerator}/{edit.fps.denominator}",
        "width": edit.width,
        "height": edit.height,
        "frames": edit.frames,
    }
    # FCP 7 XML takes its sequence format from here (the adapter's own keys)
    tl.metadata["fcp_xml"] = {
        "media": {
            "video": {
                "format": {
                    "samplecharacteristics": {
                        "width": str(edit.width),
                        "height": str(edit.height),
                        "pixelaspectratio": "square",
                        "rate": {
                            "timebase": str(round(rate)),
                            "ntsc": "TRUE" if edit.fps.denominator == 1001 else "FALSE",
                        },
                    }
                }
            }
        }
    }
    v1 = otio.schema.Track(name="V1 scenes", kind=otio.schema.TrackKind.Video)
    clips = edit.clips
    for n, c in enumerate(clips):
        after = clips[n + 1].dissolve_in if n + 1 < len(clips) else 0
        ref = otio.schema.ExternalReference(target_url=names[c.media])
        # a still has no length of its own: it lasts as long as its clip (FCP 7 XML needs one)
        ref.available_range = _range(0, max(c.available or 0, c.src_in + c.frames), rate)
        if c.dissolve_in:
            dissolve = otio.schema.Transition(
                name="dissolve",
                transition_type=otio.schema.TransitionTypes.SMPTE_Dissolve,
                in_offset=_rt(0, rate),
                out_offset=_rt(c.dissolve_in, rate),
            )
            # FCP 7: a dissolve starting at the edit point ("start"); the adapter's own guess
            # for in_offset 0 is "start-black", a fade from black
            dissolve.metadata["fcp_xml"] = {"alignment": "start"}
            v1.append(dissolve)
        clip = otio.schema.Clip(
            name=c.name, media_reference=ref, source_range=_range(c.src_in, c.frames - after, rate)
        )
        clip.metadata["cmforge"] = {
            "how": c.how,
            "start": c.start,
            "frames": c.frames,
            "fit": c.fit,
        }
        v1.append(clip)
    tracks = [v1]
    for kind in ("overlays", "captions"):
        layers = [x for x in edit.layers if x.track == kind]
        if not layers:
            continue
        track = otio.schema.Track(name=f"V {kind}", kind=otio.schema.TrackKind.Video)
        at = 0
        for x in layers:
            if x.start > at:
                track.append(otio.schema.Gap(source_range=_range(0, x.start - at, rate)))
            ref = otio.schema.ExternalReference(
                target_url=names[x.media], available_range=_range(0, x.end - x.start, rate)
            )
            track.append(
                otio.schema.Clip(
                    name=x.name, media_reference=ref, source_range=_range(0, x.end - x.start, rate)
                )
            )
            at = x.end
        tracks.append(track)
    for s in edit.sounds:
        track = otio.schema.Track(name=f"A {s.track}: {s.name}", kind=otio.schema.TrackKind.Audio)
        if s.start:
            track.append(otio.schema.Gap(source_range=_range(0, s.start, rate)))
        clip = otio.schema.Clip(
            name=s.name,
            media_reference=otio.schema.ExternalReference(
                target_url=names[s.media],
                available_range=_range(0, round(s.src_in * rate) + s.frames, rate),
            ),
            source_range=_range(round(s.src_in * rate), s.frames, rate),
        )
        clip.metadata["cmforge"] = {
            "volume_db": s.volume_db,
            "fade_in": s.fade_in,
            "fade_out": s.fade_out,
        }
        track.append(clip)
        tracks.append(track)
    for name, start, frames in edit.markers:
        tl.tracks.markers.append(
            otio.schema.Marker(name=name, marked_range=_range(start, frames, rate))
        )
    tl.tracks.extend(tracks)
    return tl


def write(edit: Edit, names: dict[Path, str], dest: Path, adapter: str | None = None) -> Path:
    timeline = to_otio(edit, names)
    otio.adapters.write_to_file(timeline, str(dest), adapter_name=adapter)
    return dest
