"""The recipe's keys as data: one source for validation, defaults and the JSON Schema."""

from __future__ import annotations

from dataclasses import dataclass

from ..delivery.platforms import PLATFORMS
from ..delivery.standards import FORMATS, names_with_targets

MOTIONS = ("none", "zoom-in", "zoom-out", "pan-left", "pan-right", "pan-up", "pan-down")
FITS = ("cover", "contain", "blur")
POSITIONS = ("top", "center", "bottom")
CORNERS = ("top-left", "top-right", "bottom-left", "bottom-right", "center", "top", "bottom")


@dataclass(frozen=True)
class F:
    """One key of the recipe."""

    # str number int bool color path table tables strlist dict transition background pair gain
    kind: str
    desc: str = ""
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    positive: bool = False
    fields: dict[str, F] | None = None
    required: bool = False
    unit: str = ""  # a gain: what a bare number means, "linear" or "dB" (units.parse_gain)
    hint: str = ""  # said with a value that is not one of `choices` (why, what to do instead)


# a transition name or a table; each type's keys are its kind's (recipe/transitions.py)
TRANSITION = F("transition", "how the scene comes in: { type, duration, ... } or a type name")
STROKE = F(
    "table",
    "text outline (袋文字)",
    fields={
        "color": F("color", "outline colour"),
        "width": F("number", "outline width in pixels at 1080 wide", minimum=0),
    },
)
LEAVES = ("none", "fade", "pop", "slide-up")
ANIMATIONS = (*LEAVES, "typewriter", "words")
EASINGS = ("linear", "ease-in", "ease-out", "ease-in-out")
ANIMATE = F(
    "named",
    f"how the text comes in: {' | '.join(ANIMATIONS)}, or {{ in, out, duration, easing }}",
    choices=ANIMATIONS,
    fields={
        "in": F("str", "how it comes in", choices=ANIMATIONS),
        "out": F("str", "how it goes out", choices=LEAVES),
        "duration": F("number", "seconds each way (typewriter, words: all)", positive=True),
        "easing": F("str", " | ".join(EASINGS), choices=EASINGS),
    },
)
LOOKS = ("outline", "band", "box", "shadow")
LOOK = F(
    "named",
    "caption look: outline | band | box | shadow, or { look, color, opacity, radius, padding }",
    choices=LOOKS,
    fields={
        "look": F("str", " | ".join(LOOKS), choices=LOOKS),
        "color": F("color", "band or box colour (#rrggbbaa: with its opacity)"),
        "opacity": F("number", "0..1 of the band or box", minimum=0),
        "radius": F("number", "corner radius in pixels at 1080 wide", minimum=0),
        "padding": F("number", "room around the text in pixels at 1080 wide", minimum=0),
    },
)
# the font size of **marked** words against the text around them (1.0: the same size)
HIGHLIGHT_SCALES = (0.5, 2.0)
HIGHLIGHT = F(
    "color_table",
    'colour of **marked** words, or { color = "#ffd166", scale = 1.2 } (scale: their size)',
    fields={
        "color": F("color", "colour of **marked** words (default #ffd166)"),
        "scale": F(
            "number",
            "font size of the **marked** words relative to the text around them (default 1.0)",
            minimum=HIGHLIGHT_SCALES[0],
            maximum=HIGHLIGHT_SCALES[1],
        ),
    },
)
TEXT_KEYS = {
    "color": F("color", "text colour"),
    "highlight": HIGHLIGHT,
    "font": F("str", "font family name or font file"),
    "size": F("number", "font size in pixels at 1080 wide (default: fit)", positive=True),
    "weight": F("str", "regular | bold", choices=("regular", "bold")),
    "stroke": STROKE,
}
# the keys of every scene; each kind (cmforge/scenes/) adds its own
COMMON = {
    "type": F("str", "scene type (a registered kind: recipe/kinds.py)", required=True),
    "name": F("str", "a label for plans and manifests"),
    "duration": F("number", "seconds on screen", positive=True),
    "transition": TRANSITION,
    "flex": F("bool", "may be stretched or trimmed to meet output.duration"),
}
# [scenes.generate]: the keys every provider shares. `provider` and each provider's own keys
# (a paid API's model and mode, the stand-in's motion, ...) are added when the provider registers
# (cmforge/generate/ calls set_provider_keys), so the recipe never names a provider.
GENERATE_SHARED = {
    "provider": F("str", "which provider makes the clip"),
    "image": F("path", "still image to animate (image-to-video)"),
    "image_tail": F("path", "end frame image"),
    "prompt": F("str", "English prompt"),
    "negative_prompt": F("str", "what to avoid"),
    "length": F("int", "seconds generated: 5 | 10", choices=("5", "10")),
    "aspect_ratio": F("str", "16:9 | 9:16 | 1:1", choices=("16:9", "9:16", "1:1")),
    "takes": F("int", "candidates to generate (default 1)", positive=True),
    "pick": F("int", "which take the render uses (default 1)", positive=True),
    "keep_stand_in": F(
        "bool",
        "keep an offline stand-in made earlier even when a paying provider can run "
        "(default false: it is made for real, within the budget)",
    ),
}
GENERATE = F("table", "make the clip when src is missing", fields=dict(GENERATE_SHARED))
# [[stills]]: the keys every still provider shares; `provider` and each still provider's own
# keys (model, seed, ...) are added when it registers, as for [scenes.generate]
ASPECTS = ("9:16", "16:9", "1:1")
STILL_ASKED = {
    "provider": F("str", "which provider makes the still"),
    "prompt": F("str", "what the still shows", required=True),
    "negative_prompt": F("str", "what to avoid (where the provider takes it)"),
    "aspect": F("str", "9:16 | 16:9 | 1:1 (default: the output format's)", choices=ASPECTS),
    "takes": F("int", "candidates to generate (default 1)", positive=True),
    "pick": F("int", "which take the recipe uses (default 1)", positive=True),
    "keep_stand_in": F(
        "bool",
        "keep an offline stand-in made earlier even when a paying provider can run "
        "(default false: it is made for real, within the budget)",
    ),
}
STILL_SHARED = {
    "path": F("path", "where the still is kept (made when missing)", required=True),
    **STILL_ASKED,
}
STILLS = F(
    "tables", "stills made from a prompt, then ordinary files at path", fields=dict(STILL_SHARED)
)
# an image scene's [scenes.generate]: a still made at the scene's src
SCENE_STILL = F("table", "make the still at src when it is missing", fields=dict(STILL_ASKED))


def set_provider_keys(
    table: F, shared: dict[str, F], providers: dict[str, dict[str, F]], default: str
) -> None:
    """Make `table`'s keys the shared ones, `provider` naming the registered providers, and
    every provider's own keys. A key two providers declare keeps the kind they agree on and the
    choices of both (each provider checks its own values again before it spends anything)."""
    fields = dict(shared)
    fields["provider"] = F(
        "str", f"{' | '.join(providers)} (default: {default})", choices=tuple(providers)
    )
    for name, options in providers.items():
        for key, spec in options.items():
            if key in shared:
                raise ValueError(f"provider {name!r}: {key!r} is a key every provider shares")
            fields[key] = _merged(fields[key], spec, key) if key in fields else spec
    assert table.fields is not None
    table.fields.clear()
    table.fields.update(fields)


def _merged(a: F, b: F, key: str) -> F:
    if a == b:
        return a
    if a.kind != b.kind:
        raise ValueError(f"two providers declare {key!r} as {a.kind} and {b.kind}")
    choices = tuple(dict.fromkeys(a.choices + b.choices)) if a.choices and b.choices else ()
    return F(a.kind, a.desc, choices=choices)


# how fast viewers read: text shown for less time warns (defaults: recipe/model.py Reading)
READING = F(
    "table",
    "reading speed the timing warnings hold text to",
    fields={
        "ja": F("number", "Japanese (wide) characters a second, default 4", positive=True),
        "latin": F("number", "other characters a second, default 17", positive=True),
        "title": F("number", "least seconds a title card is shown, default 1.5", minimum=0),
    },
)
# a caption or overlay pinned where the recipe puts it (its top-left corner, as fractions of
# the frame); the layout keeps it there and warns when it collides or leaves the safe zone
PIN = {
    "x": F(
        "number", "pin the left edge: fraction of the frame width from the left, 0..1", minimum=0
    ),
    "y": F(
        "number", "pin the top edge: fraction of the frame height from the top, 0..1", minimum=0
    ),
}
OUTPUT = {
    "path": F("str", "output file, relative to the recipe; {{variant}} allowed"),
    "format": F("str", " | ".join(FORMATS), choices=tuple(FORMATS)),
    "size": F("pair", "[width, height] instead of format"),
    "fps": F("number", "frames per second", positive=True),
    "duration": F("number", "exact length of the ad, seconds", positive=True),
    "crf": F("int", "x264 quality (lower = better), default 20", minimum=0),
    "preset": F("str", "x264 preset, default medium"),
    "loudness": F("loudness", f"delivery loudness: {names_with_targets()} or LUFS"),
    "platform": F(
        "platforms",
        f"{' | '.join(PLATFORMS)} or a list: text and logos stay inside every one's safe zone",
        choices=tuple(PLATFORMS),
    ),
    "deliver": F("str", "a broadcast master beside the web file: jp-tv-cm", choices=("jp-tv-cm",)),
    "cm_code": F("str", "the CM code (10 characters), or its 4-character advertiser code"),
    "advertiser": F("str", "the advertiser's name for the TV master's credit card"),
}
TOP: dict[str, F] = {
    "version": F("int", "recipe format version (1)"),
    "output": F("table", "what to write", fields=OUTPUT),
    "vars": F("dict", "variables for {{name}}"),
    "style": F(
        "table",
        "defaults for every text",
        fields={
            **TEXT_KEYS,
            "shadow": F("bool", "soft drop shadow under text"),
            "caption": LOOK,
            "reading": READING,
        },
    ),
    "defaults": F(
        "table",
        "defaults for every scene",
        fields={
            "transition": TRANSITION,
            "image_motion": F("str", "motion of image scenes", choices=MOTIONS),
            "fit": F("str", "fit of clips and images", choices=FITS),
        },
    ),
    "scenes": F("tables", "the ad, in order", required=True),
    "stills": STILLS,
    "captions": F(
        "tables",
        "text over the picture",
        fields={
            "text": F("str", "caption", required=True),
            "start": F("number", "seconds on the ad's clock", minimum=0),
            "end": F("number", "seconds on the ad's clock", minimum=0),
            "position": F("str", "top | center | bottom", choices=POSITIONS),
            "animate": ANIMATE,
            "look": LOOK,
            **TEXT_KEYS,
            **PIN,
        },
    ),
    "overlays": F(
        "tables",
        "images over a time range",
        fields={
            "src": F("path", "image", required=True),
            "position": F("str", "where", choices=CORNERS),
            "scale": F("number", "width as a fraction of the frame width", positive=True),
            "opacity": F("number", "0..1", minimum=0),
            "start": F("number", "seconds", minimum=0),
            "end": F("number", "seconds", minimum=0),
            **PIN,
        },
    ),
    "music": F(
        "table",
        "background music",
        fields={
            "track": F("str", "library id or file path"),
            "start": F("number", "where in the track to begin", minimum=0),
            "volume": F("gain", 'dB (or "50%", "0.5x")', unit="dB"),
            "fade_in": F("number", "seconds", minimum=0),
            "fade_out": F("number", "seconds", minimum=0),
            "mood": F("strlist", "instead of track: pick the best library track by mood"),
            "duck": F(
                "duck",
                "dB under narration and clip sound (0 = off), or { depth, attack, release }",
                unit="dB",
                fields={
                    "depth": F("gain", 'dB (negative), or "50%"', unit="dB"),
                    "attack": F("number", "seconds to duck", positive=True),
                    "release": F("number", "seconds to come back", positive=True),
                },
            ),
        },
    ),
    "audio": F(
        "tables",
        "narration and effects",
        fields={
            "src": F("path", "audio file", required=True),
            "start": F("number", "seconds on the ad's clock", minimum=0),
            "volume": F("gain", 'dB (or "50%", "0.5x")', unit="dB"),
        },
    ),
    "variants": F("tables", "versions of the ad"),
    "matrix": F(
        "dict", "values per variable (and format, platform): every combination is a variant"
    ),
    "library": F(
        "table",
        "audio libraries",
        fields={"paths": F("strlist", "library folders searched first, relative to the recipe")},
    ),
    "generate": F(
        "table",
        "generation settings",
        fields={
            "max_credits": F(
                "number", "a limit for paid clips in API units (max_cost: in US dollars)", minimum=0
            ),
            "max_cost": F(
                "number",
                "the budget for everything paid, in US dollars (default 0: nothing is paid)",
                minimum=0,
            ),
        },
    ),
}
