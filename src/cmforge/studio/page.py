"""The page as served, before any JavaScript runs: every variant by name with a link to its
current preview video, the status, the problems and warnings, the cost and the plan, so the
page reads without JavaScript and tools can read it. static/studio.js then keeps it live."""

from __future__ import annotations

from html import escape


def _url(path: str | None, at: float | None) -> str:
    if not path:
        return ""
    return escape(path + (f"?v={int(at * 1000)}" if at else ""), quote=True)


def _problem(p: dict, i: int) -> str:
    where = escape(p["file"] or "")
    if p.get("line"):
        where += f":{p['line']}"
    key = f" <code>{escape(p['key'])}</code>" if p.get("key") else ""
    hint = f'<div class="hint">hint: {escape(p["hint"])}</div>' if p.get("hint") else ""
    lines = "".join(
        f'<span class="{"here" if n == p.get("line") else ""}">{n:>4}  {escape(text)}</span>'
        for n, text in p.get("context") or []
    )
    context = f'<pre class="context" hidden>{lines}</pre>' if lines else ""
    return (
        f'<li class="problem {escape(p.get("severity") or "error")}" data-i="{i}">'
        f'<span class="where">{where}</span>{key}: {escape(p["message"])}{hint}{context}</li>'
    )


def problems_html(problems: list[dict]) -> str:
    return "".join(_problem(p, i) for i, p in enumerate(problems))


def variant_html(v: dict) -> str:
    src = _url(v.get("preview"), v.get("preview_at"))
    name = escape(v["name"])
    file = "" if v["label"] == v["name"] else name
    video = (
        f'<video controls muted playsinline preload="auto" src="{src}"></video>'
        if v.get("preview_at")
        else '<div class="pending">no preview yet</div>'
    )
    return (
        f'<section class="variant" data-name="{name}">'
        f'<h2><a class="preview-link" href="{src}">{escape(v["label"])}</a>'
        f' <span class="file">{file}</span></h2>{video}'
        f'<div class="bar"><span style="width:{v.get("progress", 0) * 100:.0f}%"></span></div>'
        f'<button class="final-one" data-variant="{name}">render final</button>'
        "</section>"
    )


def page_html(state: dict, token: str) -> str:
    variants = "".join(variant_html(v) for v in state["variants"])
    plans = "".join(
        f"<details open><summary>{escape(v['label'])}</summary>"
        f'<pre class="plan">{escape(v.get("plan") or "")}</pre></details>'
        for v in state["variants"]
    )
    cost = "".join(f"<li>{escape(line)}</li>" for line in state["cost"]["lines"])
    board = _url(state.get("storyboard"), state.get("storyboard_at"))
    story = f'<img src="{board}" alt="storyboard">' if board else ""
    checked = " checked" if state.get("guides") else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="cmforge-token" content="{escape(token, quote=True)}">
<title>cmforge studio: {escape(state["recipe"])}</title>
<link rel="stylesheet" href="/static/studio.css">
</head><body>
<header><h1>cmforge studio</h1><span class="recipe">{escape(state["recipe"])}</span>
<span id="status" class="status {escape(state["status"])}">{escape(state["message"])}</span>
</header>
<main>
<div class="left">
<div id="variants">{variants}</div>
<div class="actions">
<label><input type="checkbox" id="guides"{checked}> safe-zone guides</label>
<button id="final-all">render final: all variants</button>
<div id="job"></div>
</div>
<h3>Storyboard</h3><div id="storyboard">{story}</div>
</div>
<div class="right">
<h3>Problems</h3><ul id="problems">{problems_html(state["problems"])}</ul>
<h3>Warnings</h3><ul id="warnings">{problems_html(state["warnings"])}</ul>
<h3>To generate</h3><ul id="cost">{cost}</ul>
<button id="generate">generate missing clips…</button>
<h3>Plan</h3><div id="plans">{plans}</div>
</div>
</main>
<script src="/static/studio.js"></script>
</body></html>
"""
