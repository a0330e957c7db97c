"""Finding a task by the caller's external_task_id (kling-api.md sections 4.5 and 4.6): the part
of the client that decides whether a create whose answer was lost made a task.

Copies of the docs give two lookup forms [?]: the id as the path segment
(``/v1/videos/{family}/{id}``, tried first) and ``?external_task_id=`` on the collection path.
When the form in use answers that it does not know the request (a 404 or 405 without Kling's
envelope, code 1200-1202, or a list of tasks instead of one), the other form is asked. The form
that found a task is kept for the client's life. `find_task` believes "no such task" only when
both forms and the task list (scanned back to 15 minutes before the create was journalled)
agree: a real server may ignore one form, or both.
"""

from __future__ import annotations

from collections.abc import Callable

from .errors import KlingNotFound, KlingRequestError, KlingServerError
from .task import PATHS, Task, parse_task

EXTERNAL_FORMS = ("path", "query")  # the two lookups by external_task_id of section 4.5
SCAN_PAGE_SIZE = 500  # the most section 4.6 allows
SCAN_PAGES = 1000  # pageNum 1-1000
SCAN_MARGIN_MS = 15 * 60 * 1000  # the list is scanned back to 15 minutes before the intent
Say = Callable[[str], None]


class _FormUnsupported(Exception):
    """A lookup form the server does not understand (internal to the client)."""


def _quiet(_message: str) -> None:
    pass


class Lookups:
    """Mixed into KlingClient, which provides ``_call``, ``list_tasks`` and the fields below."""

    external_lookup: str
    _lookup_proven: bool

    def _call(
        self,
        method: str,
        path: str,
        body: dict | None = None,
        *,
        params: dict | None = None,
        say: Say = _quiet,
    ) -> tuple[object, str]:
        raise NotImplementedError

    def list_tasks(self, family: str, page: int = 1, page_size: int = 30) -> list[Task]:
        raise NotImplementedError

    def get_task_by_external_id(self, family: str, external_id: str, say: Say = _quiet) -> Task:
        """Query by the caller's id, in either form of section 4.5 (see the module docstring)."""
        if family not in PATHS:
            raise ValueError(f"unknown task family {family!r}")
        first = self.external_lookup
        missing: KlingNotFound | None = None
        refused: list[str] = []
        for form in (first, _other(first)):
            try:
                task = self._by_external(form, family, external_id, say)
            except KlingNotFound as exc:
                if form == first and self._lookup_proven:
                    raise
                missing = missing or exc
                continue
            except _FormUnsupported as exc:
                refused.append(f"{form} form: {exc}")
                continue
            if form != first:
                say(f"kling: this server looks tasks up by external_task_id in the {form} form")
            self.external_lookup, self._lookup_proven = form, True
            return task
        if missing is not None:
            raise missing
        raise KlingRequestError(
            "Kling understood neither way of looking a task up by external_task_id ("
            + "; ".join(refused)
            + ")"
        )

    def _by_external(self, form: str, family: str, external_id: str, say: Say) -> Task:
        if form == "path":
            path, params = f"{PATHS[family]}/{external_id}", None
        else:
            path, params = PATHS[family], {"external_task_id": external_id}
        try:
            data, rid = self._call("GET", path, params=params, say=say)
        except KlingNotFound:
            raise
        except KlingRequestError as exc:
            plain = exc.code is None and exc.http_status in (400, 404, 405)
            if plain or exc.code in (1200, 1201, 1202):
                raise _FormUnsupported(exc.message) from None
            raise
        if not isinstance(data, dict):
            raise _FormUnsupported("answered a list of tasks, not the one asked for")
        return parse_task(data, family, rid)

    def find_task(
        self, family: str, external_id: str, say: Say = _quiet, since_ms: int | None = None
    ) -> Task | None:
        """The task with this external_task_id, or None only when every way of finding it says
        there is none: both lookup forms of section 4.5, then the task list (a server may
        ignore one form, or both). ``since_ms``: when the create was first journalled (the
        list is scanned back to 15 minutes before it; None: to its end)."""
        refused: list[str] = []
        for form in (self.external_lookup, _other(self.external_lookup)):
            try:
                task = self._by_external(form, family, external_id, say)
            except KlingNotFound:
                continue
            except _FormUnsupported as exc:
                refused.append(f"{form} form: {exc}")
                continue
            if task.external_task_id and task.external_task_id != external_id:
                raise KlingServerError(f"asked for task {external_id}, got {task.external_task_id}")
            self.external_lookup, self._lookup_proven = form, True
            return task
        try:
            return self.scan_tasks(family, external_id, since_ms, say)
        except KlingRequestError as exc:
            if len(refused) < 2:
                raise
            raise KlingRequestError(
                "Kling understood neither way of looking a task up by external_task_id ("
                + "; ".join(refused)
                + f") and did not list its tasks ({exc.message})"
            ) from None

    def scan_tasks(
        self, family: str, external_id: str, since_ms: int | None = None, say: Say = _quiet
    ) -> Task | None:
        """Look for an external_task_id in the task list, page by page, until a short page
        (the end) or, while the pages come newest first, a page older than ``since_ms`` less
        15 minutes (clock skew). Raises when the list is longer than it may be paged through:
        "not found" must be certain before anything is paid again."""
        cutoff = None if since_ms is None else since_ms - SCAN_MARGIN_MS
        newest_first, previous = True, None
        for page in range(1, SCAN_PAGES + 1):
            tasks = self.list_tasks(family, page, SCAN_PAGE_SIZE)
            for task in tasks:
                if task.external_task_id == external_id:
                    say(f"kling: task {task.task_id} found in the task list ({external_id})")
                    return task
            if len(tasks) < SCAN_PAGE_SIZE:
                return None
            stamps = (
                [t.created_at for t in tasks]
                if previous is None
                else [previous] + [t.created_at for t in tasks]
            )
            newest_first = newest_first and all(a >= b for a, b in zip(stamps, stamps[1:]))
            previous = tasks[-1].created_at
            if cutoff is not None and newest_first and previous < cutoff:
                return None
        raise KlingServerError(
            f"the {family} task list is longer than {SCAN_PAGES} pages; cannot confirm that no "
            f"task {external_id} exists, so nothing is sent again"
        )


def _other(form: str) -> str:
    return EXTERNAL_FORMS[1] if form == EXTERNAL_FORMS[0] else EXTERNAL_FORMS[0]
