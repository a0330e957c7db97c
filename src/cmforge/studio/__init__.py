"""`cmforge studio`: a local web page that shows a recipe's previews while the recipe is edited.

`session.py` (Studio: the recipe loaded, its previews rendered through the segment cache on
every save, debounced, a superseded render cancelled; the state the page shows), `watch.py`
(its watcher), `buttons.py` (render final, generate), `problems.py` (a problem with the recipe
lines around it), `app.py` (the Starlette app: the page, server-sent events, the files it may
serve, the buttons' requests; Host/Origin and token checks), `page.py` (the HTML as served,
readable before any JavaScript runs), `server.py` (uvicorn on loopback), `static/` (the
page's CSS and JavaScript: no build step). The studio sits below the command line and above
the batch runner: it calls the pipeline's and the batch runner's public functions and is
given the plan table's text by `cmforge.cli.studio`."""

from .app import create_app
from .server import Running, serve
from .session import Studio

__all__ = ["Running", "Studio", "create_app", "serve"]
