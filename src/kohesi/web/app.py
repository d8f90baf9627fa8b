"""``kohesi serve``: a local web app to upload an export, read its report and download it.

Design (privacy first):

- binds to 127.0.0.1 by default; :func:`serve` refuses any other address unless
  ``allow_remote=True`` is passed explicitly, and then checks the ``Host`` header of loopback
  servers (against DNS rebinding);
- an upload is streamed to a fresh :class:`tempfile.TemporaryDirectory` and the byte limit is
  enforced *while* streaming (a ``Content-Length`` over the limit is refused before reading);
  the directory is removed in ``finally`` whatever happens;
- the report is computed in a worker thread (one at a time) so the server keeps answering;
- the rendered report is kept **in memory only**, in a small LRU keyed by a random token, for
  10 minutes: ``GET /report/{token}`` shows it again and ``GET /report/{token}/download`` sends it
  as a file. Nothing is written to disk and nothing outlives the process;
- every response carries a strict Content-Security-Policy (no external resources at all, scripts
  only with a per-response nonce), ``no-store`` caching and no cookies; the pages load nothing
  from anywhere else and FastAPI's documentation pages (which load a CDN) are switched off.

Routes: ``GET /`` (upload form, ``?lang=en`` for English), ``POST /report`` (multipart: ``file``,
``lang``, ``tz``, ``names``, ``date_order``, optional ``members`` and ``earlier``, an earlier export
of the same group to compare with; ``?format=json`` answers the report's JSON),
``GET /report/{token}``, ``GET /report/{token}/download[?format=json]``, ``GET /healthz``.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import secrets
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import anyio
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, PackageLoader
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.exceptions import HTTPException as StarletteHTTPException

from kohesi.errors import KohesiError
from kohesi.errors_i18n import EARLIER
from kohesi.ingest.whatsapp.header import ORDERS
from kohesi.report import LANGUAGES, make_report
from kohesi.web.errors import page_error
from kohesi.web.strings import UI_LANGUAGES, text

__all__ = ["create_app", "serve", "ReportCache", "DEFAULT_MAX_UPLOAD", "LOOPBACK_HOSTS"]

log = logging.getLogger("kohesi.web")

DEFAULT_MAX_UPLOAD = 50 * 1024**2
"""Largest upload accepted by default (50 MiB)."""
DEFAULT_TZ = "Asia/Jakarta"
CACHE_TTL = 600.0
"""Seconds a rendered report stays available for viewing and download (10 minutes)."""
CACHE_SIZE = 8
"""Reports kept at most; the least recently used goes first."""
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
ALLOWED_SUFFIXES = (".txt", ".zip", ".json", "")
DATE_ORDERS = ORDERS
_MAX_FIELDS = 16
_MAX_FIELD_BYTES = 4096
_FORM_OVERHEAD = 1024**2
"""Bytes of multipart framing and small fields allowed on top of the file limit."""
_DRAIN_BYTES = 256 * 1024**2
"""After refusing an oversized upload, read (and discard) at most this much more of it so that a
browser receives the 413 page instead of a reset connection."""
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


# --------------------------------------------------------------------------------------------
# security headers


def security_headers(nonce: str) -> dict[str, str]:
    """Headers sent with every response: nothing may load from elsewhere, scripts need the nonce."""
    csp = ("default-src 'none'; "
           f"script-src 'nonce-{nonce}'; "
           "style-src 'unsafe-inline'; img-src data:; connect-src 'self'; "
           "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
    return {
        "Content-Security-Policy": csp,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Cross-Origin-Resource-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
        "Cache-Control": "no-store",
    }


def _host_of(scope) -> str:
    for k, v in scope.get("headers", []):
        if k == b"host":
            host = v.decode("latin-1").strip().lower()
            if host.startswith("["):
                return host[1:host.find("]")] if "]" in host else host
            return host.split(":", 1)[0]
    return ""


class _Guard:
    """ASGI middleware: per-response CSP nonce and security headers, no cookies, Host check."""

    def __init__(self, app, allowed_hosts: tuple[str, ...] | None = None):
        self.app = app
        self.allowed_hosts = None if allowed_hosts is None else {h.strip("[]").lower() for h in allowed_hosts}

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(18)
        scope.setdefault("state", {})["csp_nonce"] = nonce
        extra = [(k.lower().encode(), v.encode()) for k, v in security_headers(nonce).items()]
        names = {k for k, _ in extra} | {b"set-cookie"}

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message = {**message, "headers": kept + extra}
            await send(message)

        if self.allowed_hosts is not None and _host_of(scope) not in self.allowed_hosts:
            resp = Response("kohesi: unexpected Host header; open the address kohesi printed "
                            "(http://127.0.0.1:…/)\n", status_code=400, media_type="text/plain")
            await resp(scope, receive, send_with_headers)
            return
        await self.app(scope, receive, send_with_headers)


# --------------------------------------------------------------------------------------------
# in-memory report cache


@dataclass
class StoredReport:
    html: str
    json: str
    stem: str
    lang: str
    created: float


class ReportCache:
    """Rendered reports in memory, keyed by random tokens; they expire after ``ttl`` seconds."""

    def __init__(self, ttl: float = CACHE_TTL, size: int = CACHE_SIZE,
                 clock: Callable[[], float] = time.monotonic):
        self.ttl, self.size, self.clock = ttl, size, clock
        self._items: OrderedDict[str, StoredReport] = OrderedDict()
        self._lock = threading.Lock()

    def _purge(self) -> None:
        now = self.clock()
        for token in [t for t, r in self._items.items() if now - r.created > self.ttl]:
            del self._items[token]

    def put(self, html: str, json: str, stem: str, lang: str) -> str:
        token = secrets.token_urlsafe(24)
        with self._lock:
            self._purge()
            self._items[token] = StoredReport(html, json, stem, lang, self.clock())
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return token

    def get(self, token: str) -> StoredReport | None:
        with self._lock:
            self._purge()
            item = self._items.get(token)
            if item is not None:
                self._items.move_to_end(token)
            return item

    def __len__(self) -> int:
        with self._lock:
            self._purge()
            return len(self._items)


# --------------------------------------------------------------------------------------------
# streaming multipart upload


class UploadTooLarge(Exception):
    """The upload went over the byte limit."""


class BadUpload(Exception):
    """The request is not a usable upload; the message is shown to the user."""


@dataclass
class Upload:
    fields: dict[str, str] = field(default_factory=dict)
    filename: str | None = None
    path: Path | None = None
    size: int = 0
    members: Path | None = None
    """The optional members list (CSV), saved beside the export."""
    members_size: int = 0
    earlier: Path | None = None
    """The optional earlier export of the same group (in a folder of its own: it often has the
    same name as the export)."""
    earlier_size: int = 0


_UNSAFE_CHARS = re.compile(r"[\x00-\x1f\x7f/\\:]")


def safe_filename(raw: str) -> str:
    """A file name that stays inside its folder; keeps the export's own name (it names the group).

    >>> safe_filename("../../etc/passwd")
    'passwd'
    >>> safe_filename("C:\\\\Users\\\\me\\\\WhatsApp Chat with RT 05.txt")
    'WhatsApp Chat with RT 05.txt'
    >>> safe_filename("..")
    'export.txt'
    """
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_CHARS.sub("_", name)
    name = "".join(c if c.isprintable() else "_" for c in name).strip().lstrip(".").strip()
    if len(name.encode("utf-8")) > 150:
        suffix = PurePosixPath(name).suffix
        suffix = suffix if len(suffix) <= 10 else ""
        stem = name[: len(name) - len(suffix)] if suffix else name
        name = stem.encode("utf-8")[:120].decode("utf-8", "ignore").rstrip() + suffix
    return name or "export.txt"


_MAX_MEMBERS_BYTES = 2 * 1024**2


class _MultipartSink:
    """Callbacks for :class:`MultipartParser`: fields in memory, the one file straight to disk."""

    def __init__(self, folder: Path, max_file_bytes: int):
        self.folder, self.max_file_bytes = folder, max_file_bytes
        self.upload = Upload()
        self.ended = False
        self._parts = 0
        self._header_name = self._header_value = self._disposition = b""
        self._name = ""
        self._is_file = False
        self._buf = bytearray()
        self._fh = None

    def callbacks(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in (
            "on_part_begin", "on_part_data", "on_part_end", "on_header_field", "on_header_value",
            "on_header_end", "on_headers_finished", "on_end")}

    def on_part_begin(self) -> None:
        self._parts += 1
        if self._parts > _MAX_FIELDS:
            raise BadUpload("too many form fields")
        self._disposition, self._name, self._is_file, self._buf = b"", "", False, bytearray()

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._header_name += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._header_value += data[start:end]

    def on_header_end(self) -> None:
        if self._header_name.strip().lower() == b"content-disposition":
            self._disposition = self._header_value
        self._header_name = self._header_value = b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self._disposition)
        if b"name" not in options:
            raise BadUpload("a form part has no name")
        self._name = options[b"name"].decode("utf-8", "replace")
        if b"filename" not in options:
            return
        self._is_file = True
        # browsers (and httpx) send '"' as %22 in file names, per the HTML form-data encoding
        raw = options[b"filename"].decode("utf-8", "replace").replace("%22", '"')
        if self._name == "members" and raw:
            if self.upload.members is not None:
                raise BadUpload("send one members list at a time")
            self.upload.members = self.folder / "members.csv"
            self._fh = open(self.upload.members, "xb")  # noqa: SIM115 - closed in on_part_end / close()
            return
        if self._name == "earlier" and raw:
            if self.upload.earlier is not None:
                raise BadUpload("send one earlier export at a time")
            (self.folder / EARLIER).mkdir()
            self.upload.earlier = self.folder / EARLIER / safe_filename(raw)
            self._fh = open(self.upload.earlier, "xb")  # noqa: SIM115 - closed in on_part_end / close()
            return
        if self._name != "file" or not raw:  # another file field, or no file chosen: discard
            return
        if self.upload.path is not None:
            raise BadUpload("send one export file at a time")
        self.upload.filename = safe_filename(raw)
        self.upload.path = self.folder / self.upload.filename
        self._fh = open(self.upload.path, "xb")  # noqa: SIM115 - closed in on_part_end / close()

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._is_file:
            if self._fh is None:
                return
            if self._name == "members":
                self.upload.members_size += end - start
                if self.upload.members_size > _MAX_MEMBERS_BYTES:
                    raise BadUpload(f"the members list is over {_MAX_MEMBERS_BYTES // 1024**2} MB")
            elif self._name == "earlier":
                self.upload.earlier_size += end - start
                if self.upload.earlier_size > self.max_file_bytes:
                    raise UploadTooLarge
            else:
                self.upload.size += end - start
                if self.upload.size > self.max_file_bytes:
                    raise UploadTooLarge
            self._fh.write(data[start:end])
        else:
            if len(self._buf) + (end - start) > _MAX_FIELD_BYTES:
                raise BadUpload(f"form field {self._name!r} is too long")
            self._buf += data[start:end]

    def on_part_end(self) -> None:
        if self._is_file:
            self.close()
        elif self._name:
            self.upload.fields[self._name] = self._buf.decode("utf-8", "replace")

    def on_end(self) -> None:
        self.ended = True

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None


async def receive_upload(request: Request, stream: AsyncIterator[bytes], folder: Path,
                         max_file_bytes: int) -> Upload:
    """Stream a multipart body into ``folder``, refusing it as soon as it passes the limit."""
    ctype, params = parse_options_header(request.headers.get("content-type", ""))
    if ctype != b"multipart/form-data" or not params.get(b"boundary"):
        raise BadUpload("send the export as multipart/form-data with a field named 'file'")
    max_body = 2 * max_file_bytes + _MAX_MEMBERS_BYTES + _FORM_OVERHEAD  # the export, an earlier one
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_body:
        raise UploadTooLarge
    sink = _MultipartSink(folder, max_file_bytes)
    parser = MultipartParser(params[b"boundary"], sink.callbacks())
    total = 0
    try:
        async for chunk in stream:
            total += len(chunk)
            if total > max_body:
                raise UploadTooLarge
            parser.write(chunk)
        parser.finalize()
    except FormParserError:
        raise BadUpload("the upload is not valid multipart/form-data") from None
    finally:
        sink.close()
    if not sink.ended:
        raise BadUpload("the upload ended early; please try again")
    return sink.upload


async def _drain(stream: AsyncIterator[bytes], limit: int = _DRAIN_BYTES) -> None:
    seen = 0
    try:
        async for chunk in stream:
            seen += len(chunk)
            if seen > limit:
                return
    except Exception:  # the client went away: nothing to answer anyway
        return


# --------------------------------------------------------------------------------------------
# pages


def _env() -> Environment:
    return Environment(loader=PackageLoader("kohesi.web", "templates"), autoescape=True,
                       trim_blocks=True, lstrip_blocks=True)


def human_bytes(n: int) -> str:
    """A size for people.

    >>> human_bytes(50 * 1024**2), human_bytes(1536)
    ('50 MB', '1.5 KB')
    """
    for unit, size in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n >= size:
            v = n / size
            return f"{v:.0f} {unit}" if v >= 10 or v == int(v) else f"{v:.1f} {unit}"
    return f"{n} B"


def _stem(group_id: str | None, lang_code: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", group_id or "").strip("-").lower()[:60].strip("-")
    return f"kohesi-{slug or 'report'}-{lang_code}"


@dataclass
class _Job:
    path: Path
    lang: str
    tz: str
    names: bool
    date_order: str | None
    members: Path | None = None
    earlier: Path | None = None


def create_app(max_upload_bytes: int = DEFAULT_MAX_UPLOAD, bootstrap: int = 200, *,
               allowed_hosts: tuple[str, ...] | None = None, max_export_bytes: int | None = None,
               cache_ttl: float = CACHE_TTL, cache_size: int = CACHE_SIZE) -> FastAPI:
    """The web app. ``allowed_hosts`` (``None``: any) limits the ``Host`` header; ``max_export_bytes``
    caps what a zip may expand to (default ``max(8 × max_upload_bytes, 256 MiB)``)."""
    if max_upload_bytes <= 0:
        raise ValueError("max_upload_bytes must be positive")
    expand_limit = max_export_bytes or max(8 * max_upload_bytes, 256 * 1024**2)
    env = _env()
    cache = ReportCache(ttl=cache_ttl, size=cache_size)
    limiter_box: list[anyio.CapacityLimiter] = []

    app = FastAPI(title="kohesi", docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(_Guard, allowed_hosts=allowed_hosts)
    app.state.cache = cache
    app.state.max_upload_bytes = max_upload_bytes
    app.state.bootstrap = bootstrap

    def limiter() -> anyio.CapacityLimiter:
        # one report at a time: matplotlib's pyplot is not thread-safe, and the machine is small
        if not limiter_box:
            limiter_box.append(anyio.CapacityLimiter(1))
        return limiter_box[0]

    def nonce(request: Request) -> str:
        return getattr(request.state, "csp_nonce", "") or secrets.token_urlsafe(18)

    def page(request: Request, template: str, http_status: int = 200, **ctx) -> HTMLResponse:
        n = nonce(request)
        html = env.get_template(template).render(nonce=n, **ctx)
        return HTMLResponse(html, status_code=http_status, headers=security_headers(n))

    def error(request: Request, status: int, message: str | KohesiError, ui: str, fmt: str = "html",
              folder: Path | None = None) -> Response:
        shown = page_error(message, ui, folder)  # in the page's language (kohesi/errors_id.toml)
        if fmt == "json":
            return JSONResponse({"error": shown.original, "message": shown.text, "status": status},
                                status_code=status, headers=security_headers(nonce(request)))
        tx = text(ui)
        title = tx.get(f"error_{status}", tx["error_other"])
        return page(request, "error.html", status, tx=tx, title=title, message=shown.text,
                    detail=shown.detail, status=status)

    def ui_of(request: Request, fields: dict[str, str] | None = None) -> str:
        for v in (request.query_params.get("ui"), (fields or {}).get("ui"), (fields or {}).get("lang"),
                  request.query_params.get("lang")):
            if v in UI_LANGUAGES:
                return v
        return "id"

    def report_page(stored: StoredReport, token: str) -> str:
        tx = text(stored.lang)
        bar = env.get_template("toolbar.html").render(tx=tx, token=token, stem=stored.stem)
        style = env.get_template("toolbar_style.html").render()
        html = stored.html.replace("</head>", style + "</head>", 1)
        return re.sub(r"<body[^>]*>", lambda m: m.group(0) + "\n" + bar, html, count=1)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        tx = text(ui_of(request))
        msg = tx["error_404"] if exc.status_code == 404 else str(exc.detail)
        return error(request, exc.status_code, msg, ui_of(request))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        return error(request, 400, "invalid request parameters", ui_of(request))

    @app.get("/", response_class=HTMLResponse)
    async def index(request: Request, lang: str = "id"):
        code = lang if lang in UI_LANGUAGES else "id"
        tx = text(code)
        return page(request, "upload.html", tx=tx, code=code, languages=LANGUAGES,
                    max_bytes=max_upload_bytes, max_human=human_bytes(max_upload_bytes),
                    default_tz=DEFAULT_TZ, date_orders=DATE_ORDERS)

    @app.get("/favicon.ico")
    async def favicon():  # no icon: answer so browsers do not log a 404
        return Response(status_code=204)

    @app.get("/healthz")
    async def healthz():
        return {"status": "ok"}

    @app.post("/report")
    async def post_report(request: Request, format: str = "html"):
        fmt = "json" if format == "json" else "html"
        if format not in ("html", "json"):
            return error(request, 400, f"unknown format {format!r}; use html or json", ui_of(request))
        stream = request.stream()
        fields: dict[str, str] = {}
        try:
            with tempfile.TemporaryDirectory(prefix="kohesi-web-") as tmp:
                folder = Path(tmp)
                try:
                    upload = await receive_upload(request, stream, folder, max_upload_bytes)
                except UploadTooLarge:
                    await _drain(stream)
                    tx = text(ui_of(request))
                    return error(request, 413, tx["error_too_large"].format(max=human_bytes(max_upload_bytes)),
                                 ui_of(request), fmt)
                except BadUpload as exc:
                    return error(request, 400, str(exc), ui_of(request), fmt)
                fields = upload.fields
                ui = ui_of(request, fields)
                job, problem = _job(upload, fields)
                if problem:
                    return error(request, 400, problem, ui, fmt)
                try:
                    rep = await anyio.to_thread.run_sync(_run, job, bootstrap, expand_limit,
                                                         limiter=limiter())
                except KohesiError as exc:
                    return error(request, 400, exc, ui, fmt, folder)
                except MemoryError:
                    return error(request, 413, "the export is too large to analyse on this computer", ui, fmt)
                except Exception as exc:
                    log.exception("kohesi: report failed")
                    return error(request, 500, text(ui)["error_internal"].format(kind=type(exc).__name__), ui, fmt)
            # the upload and its folder are gone here; only the report is left, in memory
            if fmt == "json":
                body = await anyio.to_thread.run_sync(rep.to_json, limiter=limiter())
                return Response(body, media_type="application/json",
                                headers=security_headers(nonce(request)))
            html = await anyio.to_thread.run_sync(rep.to_html, limiter=limiter())
            stored_json = rep.to_json()
        except Exception as exc:  # rendering failed, or the temporary folder could not be removed
            log.exception("kohesi: report failed")
            ui = ui_of(request, fields)
            return error(request, 500, text(ui)["error_internal"].format(kind=type(exc).__name__), ui, fmt)
        token = cache.put(html, stored_json, _stem(rep.data.group_id, job.lang), job.lang)
        stored = cache.get(token)
        headers = security_headers(nonce(request)) | {"Content-Location": f"/report/{token}"}
        return HTMLResponse(report_page(stored, token), headers=headers)

    @app.get("/report/{token}", response_class=HTMLResponse)
    async def view_report(request: Request, token: str):
        stored = cache.get(token) if _TOKEN.match(token) else None
        if stored is None:
            return error(request, 404, text(ui_of(request))["error_expired"], ui_of(request))
        return HTMLResponse(report_page(stored, token), headers=security_headers(nonce(request)))

    @app.get("/report/{token}/download")
    async def download_report(request: Request, token: str, format: str = "html"):
        stored = cache.get(token) if _TOKEN.match(token) else None
        if stored is None:
            return error(request, 404, text(ui_of(request))["error_expired"], ui_of(request))
        if format == "json":
            body, media, ext = stored.json, "application/json", "json"
        else:
            body, media, ext = stored.html, "text/html; charset=utf-8", "html"
        headers = security_headers(nonce(request)) | {
            "Content-Disposition": f'attachment; filename="{stored.stem}.{ext}"'}
        return Response(body, media_type=media, headers=headers)

    return app


def _job(upload: Upload, fields: dict[str, str]) -> tuple[_Job | None, str | None]:
    """Check the form; returns the job, or the reason it cannot run."""
    if upload.path is None or upload.filename is None:
        return None, "no file uploaded; choose a WhatsApp export (.txt or .zip)"
    suffix = PurePosixPath(upload.filename.lower()).suffix
    if suffix not in ALLOWED_SUFFIXES:
        return None, (f"{upload.filename}: unsupported file type {suffix!r}; upload the .txt or .zip "
                      "that WhatsApp's “Export chat” writes")
    lang = fields.get("lang") or "id"
    if lang not in LANGUAGES:
        return None, f"unknown report language {lang!r}; use one of: {', '.join(LANGUAGES)}"
    tz = (fields.get("tz") or "").strip() or DEFAULT_TZ
    if len(tz) > 64 or not re.fullmatch(r"[A-Za-z0-9_+\-/]+", tz):
        return None, f"unknown timezone {tz[:64]!r}; use an IANA name such as Asia/Jakarta"
    date_order = (fields.get("date_order") or "").strip() or None
    if date_order is not None and date_order not in DATE_ORDERS:
        return None, f"unknown date order {date_order!r}; use dmy, mdy, ymd or ydm"
    names = fields.get("names", "").lower() in ("on", "1", "true", "yes")
    if upload.earlier is not None and PurePosixPath(upload.earlier.name.lower()).suffix not in ALLOWED_SUFFIXES:
        return None, (f"{upload.earlier.name}: unsupported file type for the earlier export; upload the .txt or "
                      ".zip that WhatsApp's “Export chat” wrote then")
    return _Job(upload.path, lang, tz, names, date_order, upload.members, upload.earlier), None


def _run(job: _Job, bootstrap: int, expand_limit: int):
    """Worker thread: make the report, the export expanding to ``expand_limit`` at most."""
    return make_report(job.path, lang_code=job.lang, names=job.names, tz=job.tz, bootstrap=bootstrap,
                       date_order=job.date_order, members_file=job.members, max_bytes=expand_limit,
                       earlier=job.earlier)


# --------------------------------------------------------------------------------------------
# serving


def is_loopback(host: str) -> bool:
    """Whether ``host`` names this computer only.

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("::1"), is_loopback("0.0.0.0")
    (True, True, True, False)
    """
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def serve(host: str = "127.0.0.1", port: int = 8765, max_upload_bytes: int = DEFAULT_MAX_UPLOAD, *,
          allow_remote: bool = False, bootstrap: int = 200, log_level: str = "warning") -> None:
    """Run the app with uvicorn until interrupted. Only loopback addresses unless ``allow_remote``."""
    if not is_loopback(host) and not allow_remote:
        raise KohesiError(
            f"refusing to listen on {host!r}: kohesi serve only binds to this computer (127.0.0.1) so "
            "that nobody else on the network can upload chats or read reports; pass allow_remote=True "
            "to override")
    import uvicorn

    allowed = (*LOOPBACK_HOSTS, host) if not allow_remote else None
    app = create_app(max_upload_bytes=max_upload_bytes, bootstrap=bootstrap, allowed_hosts=allowed)
    shown = f"[{host}]" if ":" in host else host
    print(f"kohesi: open http://{shown}:{port}/ in your browser (Ctrl+C stops); nothing is sent anywhere.",
          flush=True)
    uvicorn.run(app, host=host, port=port, log_level=log_level, server_header=False,
                proxy_headers=False, date_header=False)
