"""cmforge benchmark: cmforge full render and preview vs MoviePy 2.2.1 vs the bare x264 floor.

    .venv/bin/python bench/run.py [--quick] [--runs N]

Builds a synthetic workload in bench/work/ (5 clips, a logo, a music track, the school-ad recipe at
15, 30 and 60 s), times the four cases interleaved (A,B,C,D,A,B,C,D,...) with min/median wall
time and the peak RSS of the whole process tree, checks peak-RSS growth 15 s -> 60 s, and writes
bench/results/latest.md + latest.json (--quick writes quick.md + quick.json instead).
See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
WORK = BENCH / "work"
OUT = WORK / "out"
RESULTS = BENCH / "results"
sys.path.insert(0, str(BENCH))

import workload  # noqa: E402

BIN = Path(sys.executable).parent
SNAPSHOT = WORK / "snapshot"
CMFORGE = [str(BIN / "cmforge")]  # replaced by the snapshot launcher unless --live
SAMPLE_EVERY = 0.05  # s

TARGETS = {
    "cmforge_over_floor": ("cmforge full / x264 floor", "<=", 1.3),
    "moviepy_over_cmforge": ("MoviePy / cmforge full", ">=", 5.0),
    "full_over_preview": ("cmforge full / preview", ">=", 8.0),
    "peak_rss_mb": ("cmforge peak RSS (MB, max over all cmforge renders)", "<=", 600.0),
    "rss_growth_15_60": ("cmforge peak RSS 60 s / 15 s", "<=", 1.10),
}


# --------------------------------------------------------------------------------------------
# measuring one command


def _tree_rss(proc: psutil.Process) -> int:
    """RSS of a process and all its descendants (bytes); processes that vanish count 0."""
    total = 0
    try:
        procs = [proc, *proc.children(recursive=True)]
    except psutil.Error:
        return 0
    for p in procs:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total


def _busy() -> float:
    """CPU seconds the whole machine has spent busy (all cores)."""
    t = psutil.cpu_times()
    return sum(t) - t.idle - getattr(t, "iowait", 0.0)


def measure(argv: list[str], *, cwd: Path = REPO, log: Path | None = None) -> dict:
    """Run argv; wall time (perf_counter around spawn..exit), peak tree RSS sampled every 50 ms,
    CPU seconds (user+sys) of everything the command waited for, and how many cores other
    programs on the machine kept busy meanwhile (a contamination indicator)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    busy0 = _busy()
    out = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115
    t0 = time.perf_counter()
    proc = psutil.Popen(
        argv, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
    )
    peak = peak_root = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, peak_root
        while not done.is_set():
            peak = max(peak, _tree_rss(proc))
            try:
                peak_root = max(peak_root, proc.memory_info().rss)
            except psutil.Error:
                pass
            done.wait(SAMPLE_EVERY)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    rc = proc.wait()
    wall = time.perf_counter() - t0
    done.set()
    th.join()
    if log:
        out.close()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    other = max(0.0, _busy() - busy0 - cpu) / wall if wall > 0 else 0.0
    return {
        "rc": rc,
        "wall_s": wall,
        "peak_rss_mb": peak / 2**20,
        "peak_top_process_mb": peak_root / 2**20,
        "cpu_s": cpu,
        "other_cores": other,
    }


def ffmpeg(*args: str) -> None:
    subprocess.run(
        [workload.ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y", *args],
        check=True,
    )


def probe(path: Path) -> dict:
    import av

    with av.open(str(path)) as c:
        v = next(s for s in c.streams if s.type == "video")
        a = next((s for s in c.streams if s.type == "audio"), None)
        return {
            "frames": v.frames,
            "size": [v.codec_context.width, v.codec_context.height],
            "seconds": round(c.duration / 1e6, 3) if c.duration else None,
            "audio": bool(a),
            "mbytes": round(path.stat().st_size / 2**20, 2),
        }


# --------------------------------------------------------------------------------------------
# the cases


def snapshot_src() -> tuple[list[str], str]:
    """Copy src/ as it is now into bench/work/snapshot/ and return a command that runs that copy.

    Others edit src/ while a benchmark runs; timing a tree that changes between runs (or is
    broken half-way through an edit) measures nothing. The copy keeps every run on one version.
    Returns the argv prefix and a short fingerprint of the copied sources."""
    import hashlib

    shutil.rmtree(SNAPSHOT, ignore_errors=True)
    shutil.copytree(
        REPO / "src",
        SNAPSHOT / "src",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"),
    )
    h = hashlib.sha256()
    for f in sorted((SNAPSHOT / "src").rglob("*")):
        if f.is_file():
            h.update(str(f.relative_to(SNAPSHOT)).encode() + b"\0" + f.read_bytes())
    launcher = SNAPSHOT / "cmforge"
    launcher.write_text(
        "import sys\nfrom pathlib import Path\n"
        "sys.path.insert(0, str(Path(__file__).resolve().parent / 'src'))\n"
        "from cmforge.cli import main\nsys.exit(main())\n"
    )
    return [sys.executable, str(launcher)], h.hexdigest()[:12]


def clear_cmforge_cache() -> None:
    """Each cmforge run starts cold: its rasterised text/card cache beside the recipe is removed,
    so text rendering is timed just as MoviePy's TextClips are."""
    shutil.rmtree(WORK / ".cmforge", ignore_errors=True)


def case_cmforge(recipe: Path, preview: bool, tag: str) -> dict:
    clear_cmforge_cache()
    argv = [*CMFORGE, "render", str(recipe), "--output", str(OUT), "--quiet"]
    if preview:
        argv.append("--preview")
    r = measure(argv, log=OUT / f"{tag}.log")
    r["argv"] = argv
    name = recipe.stem + (".preview" if preview else "") + ".mp4"
    r["output"] = str(OUT / name)
    return r


def case_moviepy(recipe: Path, tag: str) -> dict:
    dest = OUT / f"moviepy-{recipe.stem}.mp4"
    argv = [
        sys.executable,
        str(BENCH / "moviepy_school.py"),
        str(recipe.with_suffix(".json")),
        str(dest),
    ]
    r = measure(argv, log=OUT / f"{tag}.log")
    r["argv"] = argv
    r["output"] = str(dest)
    return r


def floor_argv(yuv: Path, dest: Path, w: int, h: int, fps: int) -> list[str]:
    return [
        workload.ffmpeg_exe(),
        "-hide_banner",
        "-loglevel",
        "error",
        "-nostdin",
        "-y",
        "-f",
        "rawvideo",
        "-pix_fmt",
        "yuv420p",
        "-s",
        f"{w}x{h}",
        "-r",
        str(fps),
        "-i",
        str(yuv),
        *_video_encoder_args(),
        "-an",
        "-f",
        "mp4",
        str(dest),
    ]


def _video_encoder_args() -> list[str]:
    """cmforge's own video encoder settings (x264 medium, CRF 20, its x264 params), so the floor
    is exactly the encode cmforge cannot avoid."""
    from cmforge.compile import encoder_args

    args = encoder_args("medium", 20)
    return args[: args.index("-c:a")]


def case_floor(yuv: Path, tag: str) -> dict:
    dest = OUT / "floor.mp4"
    argv = floor_argv(yuv, dest, workload.W, workload.H, workload.FPS)
    r = measure(argv, log=OUT / f"{tag}.log")
    r["argv"] = argv
    r["output"] = str(dest)
    return r


# --------------------------------------------------------------------------------------------
# reporting


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    head = subprocess.run(
        [workload.ffmpeg_exe(), "-hide_banner", "-version"], capture_output=True, text=True
    ).stdout.splitlines()
    from importlib.metadata import version

    def ver(dist: str) -> str:
        try:
            return version(dist)
        except Exception:  # noqa: BLE001
            return "?"

    git = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(REPO), "status", "--porcelain", "--", "src"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "nproc": os.cpu_count(),
        "cpu_model": model or platform.processor(),
        "mem_gb": round(psutil.virtual_memory().total / 2**30, 1),
        "ffmpeg": head[0] if head else "?",
        "ffmpeg_path": workload.ffmpeg_exe(),
        "python": platform.python_version(),
        "moviepy": ver("moviepy"),
        "pillow": ver("pillow"),
        "cmforge": ver("cmforge"),
        "git": git + ("+dirty src" if dirty else ""),
        "date": dt.datetime.now(dt.UTC).astimezone().isoformat(timespec="seconds"),
    }


def summarise(runs: list[dict]) -> dict:
    ok = [r for r in runs if r["rc"] == 0]
    walls = [r["wall_s"] for r in ok]
    return {
        "runs": len(runs),
        "ok": len(ok),
        "wall_min_s": min(walls) if walls else None,
        "wall_median_s": statistics.median(walls) if walls else None,
        "peak_rss_mb": max((r["peak_rss_mb"] for r in ok), default=None),
        "cpu_median_s": statistics.median([r["cpu_s"] for r in ok]) if ok else None,
        "other_cores_max": max((r["other_cores"] for r in ok), default=None),
        "walls": [round(w, 3) for w in walls],
    }


def check(value: float | None, op: str, target: float) -> str:
    if value is None:
        return "n/a"
    return "PASS" if (value <= target if op == "<=" else value >= target) else "FAIL"


def fmt(v: float | None, nd: int = 2) -> str:
    return "—" if v is None else f"{v:.{nd}f}"


LABELS = {
    "cmforge": "a. cmforge render (full)",
    "preview": "b. cmforge render --preview",
    "moviepy": "c. MoviePy 2.2.1 port",
    "floor": "d. x264 floor (raw yuv -> cmforge's x264 settings: medium, crf 20, lookahead 10)",
}


def markdown(res: dict) -> str:
    m, s, r = res["machine"], res["summary"], res["ratios"]
    L = [
        f"# cmforge benchmark{' (QUICK smoke run)' if res['quick'] else ''}",
        "",
        f"- date: {m['date']}",
        f"- machine: {m['nproc']} CPU ({m['cpu_model']}), {m['mem_gb']} GB RAM",
        f"- ffmpeg: {m['ffmpeg']}",
        f"- python {m['python']}, moviepy {m['moviepy']}, pillow {m['pillow']}, "
        f"cmforge {m['cmforge']} (git {m['git']}; {m.get('cmforge_src', '?')})",
        f"- workload: `{res['workload']['recipe']}` ({res['workload']['seconds']} s, "
        f"1080x1920 @ 30 fps, transitions `{res['workload']['transition']}` 0.5 s), "
        f"{res['runs']} run(s) per case, interleaved",
        "",
        "| case | wall min (s) | wall median (s) | peak RSS (MB) | CPU median (s) | "
        "other load (cores) | output |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for k in ("cmforge", "preview", "moviepy", "floor"):
        v = s[k]
        o = res["outputs"].get(k) or {}
        desc = (
            (
                f"{o.get('frames')} fr, "
                f"{o.get('size', ['?', '?'])[0]}x{o.get('size', ['?', '?'])[1]}"
                f", {o.get('mbytes')} MB"
            )
            if o
            else "—"
        )
        bad = f" ({v['runs'] - v['ok']} failed)" if v["ok"] < v["runs"] else ""
        L.append(
            f"| {LABELS[k]}{bad} | {fmt(v['wall_min_s'])} | {fmt(v['wall_median_s'])} | "
            f"{fmt(v['peak_rss_mb'], 0)} | {fmt(v['cpu_median_s'], 1)} | "
            f"{fmt(v['other_cores_max'], 2)} | {desc} |"
        )
    L += ["", "| ratio (from median wall times) | value | target | |", "|---|---:|---:|---|"]
    for k, (label, op, target) in TARGETS.items():
        L.append(f"| {label} | {fmt(r.get(k))} | {op} {target:g} | {check(r.get(k), op, target)} |")
    g = res.get("growth") or {}
    if g:
        L += [
            "",
            "Memory growth (cmforge full render, one run each):",
            "",
            "| workload | wall (s) | peak RSS (MB) | of which cmforge process (MB) | "
            "other load (cores) |",
            "|---|---:|---:|---:|---:|",
        ]
        for n in sorted(g, key=int):
            note = " (median/max of the main runs)" if n == "30" else ""
            L.append(
                f"| {n} s{note} | {fmt(g[n]['wall_s'])} | {fmt(g[n]['peak_rss_mb'], 0)} | "
                f"{fmt(g[n]['peak_top_process_mb'], 0)} | {fmt(g[n]['other_cores'], 2)} |"
            )
    if res.get("errors"):
        L += ["", "Errors:", ""] + [f"- {e}" for e in res["errors"]]
    L += [
        "",
        "Peak RSS = max over 50 ms samples of the summed RSS of the process and all its "
        "children (shared pages counted once per process). CPU = user+sys of the process tree. "
        "Other load = average cores kept busy by other programs during the run (max over runs); "
        "well above 0 means the figures are contaminated. "
        "cmforge runs start with its still/text cache removed.",
    ]
    return "\n".join(L) + "\n"


# --------------------------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="1 run of the 15 s workload (smoke check)")
    ap.add_argument("--runs", type=int, default=3, help="interleaved runs per case (default 3)")
    ap.add_argument(
        "--transition",
        default="fade",
        help="xfade type between scenes in the cmforge recipe (default fade: the cross-dissolve "
        "blend MoviePy's CrossFadeIn makes, so both tools do the same work; FFmpeg's 'dissolve' "
        "is a random per-pixel dither, far costlier to encode)",
    )
    ap.add_argument(
        "--live",
        action="store_true",
        help="run the installed cmforge on the live src/ tree instead of a snapshot "
        "copied at start (the snapshot keeps all runs on one version)",
    )
    ap.add_argument("--skip-moviepy", action="store_true", help="leave out case c (slowest)")
    args = ap.parse_args()
    # every cmforge render from scratch, as MoviePy's: no rendered segments reused
    os.environ["CMFORGE_CACHE"] = "off"
    runs = 1 if args.quick else max(1, args.runs)
    seconds = 15 if args.quick else 30
    t_start = time.perf_counter()

    def say(msg: str) -> None:
        print(f"[{time.perf_counter() - t_start:7.1f}s] {msg}", flush=True)

    say("building the workload in bench/work/")
    workload.build_media(WORK, log=lambda m: say(m.strip()))
    recipes = workload.write_recipes(WORK, transition=args.transition)
    OUT.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    recipe = recipes[seconds]
    mach = machine()
    say(f"{mach['nproc']} CPU {mach['cpu_model']}; {mach['ffmpeg']}")
    global CMFORGE
    if args.live:
        mach["cmforge_src"] = "live src/ (installed entry point)"
    else:
        CMFORGE, fp = snapshot_src()
        mach["cmforge_src"] = f"snapshot of src/ at start, sha256 {fp}"
        say(f"cmforge: {mach['cmforge_src']} -> {SNAPSHOT}")
    # fail fast, before anything is timed: the recipes must plan (compile) with this cmforge
    for n in (15,) if args.quick else (15, 30, 60):
        for extra in ([], ["--preview"]):
            pre = subprocess.run(
                [*CMFORGE, "plan", str(recipes[n]), *extra],
                capture_output=True,
                text=True,
                cwd=REPO,
            )
            if pre.returncode:
                print(
                    f"cmforge cannot plan {recipes[n].name} {' '.join(extra)}:\n"
                    f"{' '.join([*CMFORGE, 'plan', str(recipes[n]), *extra])}\n"
                    f"{pre.stdout[-2000:]}{pre.stderr[-3000:]}",
                    file=sys.stderr,
                )
                return 2

    cases = ["cmforge", "preview", "moviepy", "floor"]
    if args.skip_moviepy:
        cases.remove("moviepy")
    raw: dict[str, list[dict]] = {k: [] for k in cases}
    errors: list[str] = []
    yuv = WORK / "frames.yuv"
    outputs: dict[str, dict] = {}

    def run_case(k: str, i: int) -> None:
        tag = f"{k}-{seconds}s-run{i + 1}"
        if k == "cmforge":
            r = case_cmforge(recipe, False, tag)
        elif k == "preview":
            r = case_cmforge(recipe, True, tag)
        elif k == "moviepy":
            r = case_moviepy(recipe, tag)
        else:
            if not yuv.is_file():
                errors.append("floor: no decoded frames (the cmforge render failed?)")
                return
            r = case_floor(yuv, tag)
        raw[k].append(r)
        if r["rc"]:
            tail = Path(OUT / f"{tag}.log").read_text(errors="replace")[-2000:]
            errors.append(
                f"{k} run {i + 1}: exit {r['rc']}: `{' '.join(r['argv'])}`\n\n```\n{tail}\n```"
            )
            say(f"{k:8s} run {i + 1}: FAILED (exit {r['rc']}), log {OUT / (tag + '.log')}")
            return
        say(
            f"{k:8s} run {i + 1}: {r['wall_s']:7.2f} s  peak {r['peak_rss_mb']:6.0f} MB "
            f"(top process {r['peak_top_process_mb']:.0f})  cpu {r['cpu_s']:6.1f} s  "
            f"other load {r['other_cores']:.2f} cores"
        )
        if k not in outputs:
            try:
                outputs[k] = probe(Path(r["output"]))
            except Exception as exc:  # noqa: BLE001
                errors.append(f"{k}: output does not open: {exc}")
        if k == "cmforge" and not yuv.is_file():
            say("decoding cmforge's output to raw yuv420p for the floor (not timed)")
            ffmpeg("-i", r["output"], "-f", "rawvideo", "-pix_fmt", "yuv420p", str(yuv))

    try:
        yuv.unlink(missing_ok=True)
        for i in range(runs):
            for k in cases:
                run_case(k, i)
        growth: dict[str, dict] = {}
        if not args.quick:
            for n in (15, 60):
                say(f"memory growth: cmforge full render of the {n} s workload")
                r = case_cmforge(recipes[n], False, f"cmforge-{n}s-growth")
                if r["rc"]:
                    errors.append(
                        f"growth {n} s: exit {r['rc']}: `{' '.join(r['argv'])}` "
                        f"(log {OUT}/cmforge-{n}s-growth.log)"
                    )
                    continue
                growth[str(n)] = {
                    k: r[k]
                    for k in (
                        "wall_s",
                        "peak_rss_mb",
                        "peak_top_process_mb",
                        "cpu_s",
                        "other_cores",
                    )
                }
                say(
                    f"  {r['wall_s']:.2f} s, peak {r['peak_rss_mb']:.0f} MB "
                    f"(top process {r['peak_top_process_mb']:.0f}), "
                    f"other load {r['other_cores']:.2f} cores"
                )
            s30 = summarise(raw["cmforge"])
            if s30["peak_rss_mb"] is not None:
                growth["30"] = {
                    "wall_s": s30["wall_median_s"],
                    "peak_rss_mb": s30["peak_rss_mb"],
                    "peak_top_process_mb": max(
                        r["peak_top_process_mb"] for r in raw["cmforge"] if not r["rc"]
                    ),
                    "cpu_s": s30["cpu_median_s"],
                    "other_cores": s30["other_cores_max"],
                }
    finally:
        yuv.unlink(missing_ok=True)

    summary = {k: summarise(v) for k, v in raw.items()}
    for k in ("cmforge", "preview", "moviepy", "floor"):
        summary.setdefault(k, summarise([]))

    def ratio(a: str, b: str) -> float | None:
        x, y = summary[a]["wall_median_s"], summary[b]["wall_median_s"]
        return x / y if x and y else None

    cm_rss = [
        v
        for v in (
            summary["cmforge"]["peak_rss_mb"],
            summary["preview"]["peak_rss_mb"],
            *(g["peak_rss_mb"] for g in growth.values()),
        )
        if v is not None
    ]
    ratios = {
        "cmforge_over_floor": ratio("cmforge", "floor"),
        "moviepy_over_cmforge": ratio("moviepy", "cmforge"),
        "full_over_preview": ratio("cmforge", "preview"),
        "peak_rss_mb": max(cm_rss) if cm_rss else None,
        "rss_growth_15_60": (
            growth["60"]["peak_rss_mb"] / growth["15"]["peak_rss_mb"]
            if "60" in growth and "15" in growth
            else None
        ),
    }
    res = {
        "quick": args.quick,
        "runs": runs,
        "machine": mach,
        "workload": {
            "recipe": str(recipe.relative_to(REPO)),
            "seconds": seconds,
            "transition": args.transition,
            "sources": [s[0] for s in workload.SOURCES],
        },
        "summary": summary,
        "ratios": ratios,
        "targets": {
            k: {"label": v[0], "op": v[1], "target": v[2], "result": check(ratios[k], v[1], v[2])}
            for k, v in TARGETS.items()
        },
        "growth": growth,
        "outputs": outputs,
        "raw": raw,
        "errors": errors,
        "total_s": round(time.perf_counter() - t_start, 1),
    }
    md = markdown(res)
    stem = ("quick" if args.quick else "latest") + (
        "" if args.transition == "fade" else f"-{args.transition}"
    )
    (RESULTS / f"{stem}.md").write_text(md, encoding="utf-8")
    (RESULTS / f"{stem}.json").write_text(
        json.dumps(res, indent=1, ensure_ascii=False), encoding="utf-8"
    )
    print()
    print(md)
    say(f"wrote {RESULTS / (stem + '.md')} and {stem}.json")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
