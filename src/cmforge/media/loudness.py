"""Loudness as FFmpeg's ebur128 filter measures it (EBU R128 / ITU-R BS.1770): integrated
loudness, loudness range and true peak, from a file or from any audio filter graph."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import RenderError
from .ffmpeg import check_ffmpeg, read_output

# ebur128 with true peak (4x oversampled) and no per-100 ms log lines
EBUR128 = "ebur128=peak=true:framelog=quiet"


@dataclass(frozen=True)
class Loudness:
    integrated: float  # LUFS (-70.0 when everything is below the absolute gate)
    true_peak: float  # dBTP (-inf for digital silence)
    lra: float  # LU

    def as_dict(self) -> dict:
        def num(x: float) -> float | None:
            return None if x == float("-inf") else round(x, 2)

        return {
            "integrated_lufs": num(self.integrated),
            "true_peak_dbtp": num(self.true_peak),
            "lra_lu": num(self.lra),
        }


def _number(text: str) -> float:
    return float("-inf") if text.strip().lower() in ("-inf", "inf", "nan") else float(text)


def parse_ebur128(stderr: str) -> Loudness:
    """The summary ebur128 logs when its graph closes (the last one, if there are several)."""
    at = stderr.rfind("Summary:")
    if at < 0:
        raise ValueError("no ebur128 summary in FFmpeg's output")
    tail = stderr[at:]

    def field(label: str) -> float:
        m = re.search(rf"{label}:\s*(-?inf|-?nan|-?[\d.]+)", tail, re.IGNORECASE)
        if not m:
            raise ValueError(f"ebur128 summary has no {label}")
        return _number(m.group(1))

    return Loudness(field("I"), field("Peak"), field("LRA"))


def measure_args(ffmpeg: str, inputs: list[str], graph: str | None, label: str | None) -> list[str]:
    """The argv that measures audio: either the first audio stream of the inputs, or the
    audio labelled `label` in a filter graph (which then gets ebur128 appended)."""
    if graph is None:
        return [ffmpeg, *inputs, "-vn", "-af", EBUR128, "-f", "null", "-"]
    return [
        ffmpeg,
        *inputs,
        "-filter_complex",
        f"{graph};[{label}]{EBUR128}[measured]",
        "-map",
        "[measured]",
        "-f",
        "null",
        "-",
    ]


def run_measure(argv: list[str]) -> Loudness:
    _, err = read_output(argv)
    try:
        return parse_ebur128(err)
    except ValueError as exc:
        raise RenderError(f"measuring loudness failed: {exc}", argv, err[-2000:]) from None


def measure_file(path: Path, ffmpeg: str | None = None) -> Loudness:
    """Integrated loudness, true peak and LRA of a file's first audio stream."""
    binary = ffmpeg or check_ffmpeg().binary
    return run_measure(measure_args(binary, ["-i", str(path)], None, None))
