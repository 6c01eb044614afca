"""The WSGI application: routing, authentication, media types, spec validation, faults, logging.

One host serves Allegro's OAuth pages (``/auth/oauth/*``), the REST API, the upload API
(``/sale/images``) and the emulator's control API (``/_emulator/*``).
"""

from __future__ import annotations

import json
import re
import time
import traceback
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from werkzeug.datastructures import Headers, ImmutableMultiDict
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from fake_allegro.errors import ApiError, ErrorItem, OAuthError
from fake_allegro.oauth import authenticate_bearer
from fake_allegro.routing import ENDPOINTS, Call, Endpoint, Reply
from fake_allegro.spec import BETA_MEDIA_TYPE, MEDIA_TYPE, SchemaViolation, Spec
from fake_allegro.strict import (
    LANGUAGES,
    USER_AGENT_FORMAT,
    language_error,
    unknown_properties,
    unknown_property_errors,
    user_agent_error,
)

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIEnvironment

    from fake_allegro.emulator import Emulator

_PARAM = re.compile(r"\{([^}]+)\}")
JSON_TYPES = (MEDIA_TYPE, "application/json")


def _rule_path(path: str) -> tuple[str, dict[str, str]]:
    """Spec path → werkzeug rule; returns the rule and {werkzeug name: spec name}."""
    names: dict[str, str] = {}

    def replace(match: re.Match[str]) -> str:
        spec_name = match.group(1)
        safe = re.sub(r"\W", "_", spec_name)
        if not safe.isidentifier():
            safe = f"p_{safe}"
        names[safe] = spec_name
        return f"<{safe}>"

    return _PARAM.sub(replace, path), names


@dataclass(frozen=True)
class _Route:
    endpoint: Endpoint
    names: dict[str, str]


def _headers_without_language(request: Request) -> Headers:
    """The request headers minus ``Accept-Language``, which the app checks itself.

    Allegro answers in all six languages on every operation; the spec's narrower per-operation
    enums (``en-US`` only on some) describe the translations, not a refusal.
    """
    headers = Headers(request.headers)
    headers.remove("Accept-Language")
    return headers


class _OpenAPIRequest:
    """openapi-core's request protocol over a werkzeug request, on Allegro's host."""

    def __init__(
        self, request: Request, host_url: str, path_pattern: str, path_params: dict[str, str]
    ):
        self.request = request
        self.host_url = host_url
        self.path = request.path
        self.path_pattern = path_pattern
        self.method = request.method.lower()
        from openapi_core.datatypes import RequestParameters

        self.parameters = RequestParameters(
            query=ImmutableMultiDict(request.args),
            header=_headers_without_language(request),
            cookie=request.cookies,
            path=dict(path_params),
        )

    @property
    def full_url_pattern(self) -> str:
        return self.host_url + self.path_pattern

    @property
    def body(self) -> bytes | None:
        data = self.request.get_data(cache=True)
        return data or None

    @property
    def content_type(self) -> str:
        return self.request.content_type or "application/octet-stream"


def error_reply(status: int, code: str, message: str, **kw: Any) -> Reply:
    return Reply(status, ApiError.one(status, code, message, **kw).as_json())


def _accepted(header: str | None) -> set[str]:
    if not header:
        return set()
    return {part.split(";")[0].strip().lower() for part in header.split(",")}


def _accepts(header: str | None, offered: set[str]) -> bool:
    """The client accepts one of the operation's media types.

    A beta-only resource (``/sale/issues``) answers 406 to the public type; operations that
    document no JSON body accept the public type; files (labels, protocols) go out in the types
    the operation documents.
    """
    json_types = offered & {MEDIA_TYPE, BETA_MEDIA_TYPE}
    allowed = (json_types or {MEDIA_TYPE}) | (offered - {MEDIA_TYPE, BETA_MEDIA_TYPE})
    return bool(_accepted(header) & allowed)


def _schema_path_of(exc: BaseException) -> tuple[list[SchemaViolation], bool]:
    """Violations named by an openapi-core exception; second item: True for a 422 (constraint)."""
    from jsonschema.exceptions import ValidationError as JsonSchemaError
    from openapi_core.validation.schemas.exceptions import InvalidSchemaValue

    cause: BaseException | None = exc
    while cause is not None and not isinstance(cause, InvalidSchemaValue):
        cause = cause.__cause__
    if isinstance(cause, InvalidSchemaValue):
        found: list[SchemaViolation] = []
        for err in cause.schema_errors:
            if isinstance(err, JsonSchemaError):
                from fake_allegro.spec import best_errors

                found.extend(best_errors(iter([err])))
        return found, True
    return [], False


class EmulatorApp:
    """The WSGI callable of one :class:`~fake_allegro.emulator.Emulator`."""

    def __init__(self, emulator: Emulator, spec: Spec):
        self.emulator = emulator
        self.spec = spec
        self.routes: dict[str, _Route] = {}
        rules: list[Rule] = []
        for index, ep in enumerate(ENDPOINTS):
            rule_path, names = _rule_path(ep.path)
            key = f"e{index}"
            self.routes[key] = _Route(ep, names)
            rules.append(Rule(rule_path, methods=[ep.method], endpoint=key, strict_slashes=False))
        self.url_map = Map(rules, merge_slashes=False)

    # -- WSGI ---------------------------------------------------------------------------------
    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        request = Request(environ)
        trace_id = uuid.uuid4().hex
        route_path = request.path
        try:
            route, params = self._match(request)
            if route is not None:
                route_path = route.endpoint.path
            reply = self._dispatch(request, route, params)
        except Exception as exc:  # pragma: no cover - shown as 500, recorded as a violation
            self.emulator.record_violation(
                f"{request.method} {request.path}: unhandled {exc!r}\n{traceback.format_exc()}"
            )
            reply = error_reply(500, "InternalServerErrorException", "Internal server error")
        response = self._response(reply, trace_id)
        duration_ms = (time.perf_counter() - started) * 1000
        self.emulator.log_request(
            method=request.method,
            path=request.path,
            route=route_path,
            query=request.query_string.decode("latin-1"),
            status=response.status_code,
            duration_ms=duration_ms,
            trace_id=trace_id,
        )
        return response(environ, start_response)

    def _match(self, request: Request) -> tuple[_Route | None, dict[str, str] | Reply]:
        adapter = self.url_map.bind("fake-allegro", url_scheme="http")
        try:
            key, values = adapter.match(request.path, method=request.method)
        except MethodNotAllowed:
            return None, error_reply(
                405, "NotAllowedException", f"Request method '{request.method}' not supported"
            )
        except NotFound:
            return None, error_reply(404, "NotFoundException", "Resource not found")
        except Exception:  # RequestRedirect and friends: treat as not found
            return None, error_reply(404, "NotFoundException", "Resource not found")
        route = self.routes[str(key)]
        return route, {route.names.get(k, k): str(v) for k, v in values.items()}

    def _dispatch(
        self, request: Request, route: _Route | None, params: dict[str, str] | Reply
    ) -> Reply:
        if isinstance(params, Reply):
            return params
        assert route is not None
        ep = route.endpoint
        emulator = self.emulator
        if not request.path.startswith("/_emulator"):
            fault_reply = emulator.faults.apply(request.method, request.path, emulator.world.now())
            if fault_reply is not None:
                return fault_reply
        with emulator.lock:
            call = Call(world=emulator.world, request=request, params=params)
            call.emulator = emulator
            if ep.spec_checked:
                early = self._check(call, ep)
                if early is not None:
                    return early
            try:
                result = ep.handler(call)
            except ApiError as exc:
                reply = Reply(exc.status, exc.as_json(), headers=dict(exc.headers))
                return reply
            except OAuthError as exc:
                return Reply(exc.status, exc.as_json(), content_type="application/json")
            reply = result if isinstance(result, Reply) else Reply(200, result)
            if (
                ep.spec_checked
                and reply.content_type == MEDIA_TYPE
                and BETA_MEDIA_TYPE in _accepted(request.headers.get("Accept"))
            ):
                reply.content_type = BETA_MEDIA_TYPE
            if ep.spec_checked and emulator.validate_responses:
                self._check_response(request, ep, reply)
            if emulator.data_dir is not None and request.method != "GET":
                emulator.mark_dirty()
            return reply

    # -- request checks -----------------------------------------------------------------------
    def _check(self, call: Call, ep: Endpoint) -> Reply | None:
        request = call.request
        language = request.headers.get("Accept-Language") or None
        if self.emulator.require_user_agent and not USER_AGENT_FORMAT.match(
            request.headers.get("User-Agent", "")
        ):
            error = user_agent_error(request.headers.get("User-Agent"), language)
            return Reply(403, ApiError(403, error).as_json())
        auth_reply = self._authenticate(call, ep)
        if auth_reply is not None:
            return auth_reply
        offered = self.spec.response_media_types(
            ep.method, ep.path
        ) | self.spec.request_media_types(ep.method, ep.path)
        if not _accepts(request.headers.get("Accept"), offered):
            return error_reply(
                406,
                "NotAcceptableException",
                "Not acceptable representation requested. Please check 'Accept' request header",
                user_message="Wystąpił błąd. Skontaktuj się z autorem aplikacji.",
            )
        operation = self.spec.operation(ep.method, ep.path)
        has_body = bool(request.get_data(cache=True))
        if has_body:
            allowed = self.spec.request_media_types(ep.method, ep.path) | {MEDIA_TYPE}
            if (request.mimetype or "").lower() not in allowed:
                return error_reply(
                    415,
                    "NotSupportedException",
                    f"Content type '{request.content_type}' not supported",
                    user_message="Wystąpił błąd. Skontaktuj się z autorem aplikacji.",
                )
            if request.mimetype in (MEDIA_TYPE, BETA_MEDIA_TYPE):
                try:
                    json.loads(request.get_data(cache=True))
                except ValueError:
                    return error_reply(
                        400,
                        "JsonParseException",
                        "Malformed JSON request body",
                        user_message="Nieprawidłowe dane w żądaniu.",
                    )
        if language is not None and language not in LANGUAGES:
            return Reply(422, ApiError(422, language_error(language)).as_json())
        if operation is None:
            return None
        if not self.emulator.validate_requests:
            return None
        if has_body and request.mimetype in (MEDIA_TYPE, BETA_MEDIA_TYPE):
            unknown = self._unknown_properties(request, ep)
            if unknown:
                items = unknown_property_errors(unknown, language)
                return Reply(422, ApiError(422, *items).as_json())
        return self._validate_request(request, ep, call.params)

    def _unknown_properties(self, request: Request, ep: Endpoint) -> list[str]:
        op = self.spec.operation(ep.method, ep.path) or {}
        body = self.spec.resolve(op.get("requestBody") or {})
        media = ((body or {}).get("content") or {}).get(request.mimetype) or {}
        if "schema" not in media:
            return []
        data = json.loads(request.get_data(cache=True))
        return list(unknown_properties(self.spec, media["schema"], data))

    def _authenticate(self, call: Call, ep: Endpoint) -> Reply | None:
        if ep.auth == "none":
            return None
        header = call.request.headers.get("Authorization", "")
        if not header.lower().startswith("bearer ") or not header[7:].strip():
            return Reply(
                401,
                {
                    "error": "unauthorized",
                    "error_description": "Full authentication is required to access this resource",
                },
                headers={"WWW-Authenticate": 'Bearer realm="allegro-api"'},
            )
        principal = authenticate_bearer(call.world, header[7:].strip())
        if principal is None:
            return Reply(
                401,
                {"error": "invalid_token", "error_description": "Invalid access token"},
                headers={
                    "WWW-Authenticate": 'Bearer realm="allegro-api", error="invalid_token", '
                    'error_description="Invalid access token"'
                },
            )
        call.application = principal.application
        call.seller = principal.seller
        if principal.seller is None and ep.auth == "user":
            return error_reply(
                403,
                "AccessDeniedException",
                "Username is undefined in oAuth token",
                user_message="Brak dostępu do zasobu.",
            )
        if principal.seller is not None:
            needed = self._user_scopes(ep)
            if needed and not needed & set(principal.grant.scope):
                return error_reply(
                    403,
                    "AccessDeniedException",
                    "Access is denied: the token lacks the scope " + " or ".join(sorted(needed)),
                    user_message="Brak dostępu do zasobu.",
                )
        return None

    def _user_scopes(self, ep: Endpoint) -> set[str]:
        op = self.spec.operation(ep.method, ep.path) or {}
        scopes: set[str] = set()
        for requirement in op.get("security") or []:
            scopes.update(requirement.get("bearer-token-for-user") or [])
        return scopes

    def _validate_request(
        self, request: Request, ep: Endpoint, params: dict[str, str]
    ) -> Reply | None:
        from openapi_core.validation.request.exceptions import (
            MissingParameterError,
            MissingRequestBodyError,
            ParameterValidationError,
            RequestBodyValidationError,
        )

        host = self.spec.server_for(ep.method, ep.path)
        openapi_request = _OpenAPIRequest(request, host, ep.path, params)
        try:
            self.spec.request_openapi.validate_request(openapi_request)
        except MissingParameterError as exc:
            return error_reply(
                400,
                "MissingRequestParameterException",
                f"Required request parameter '{exc.name}' is not present",
                path=exc.name,
                user_message="Brak wymaganego parametru.",
            )
        except ParameterValidationError as exc:
            violations, constraint = _schema_path_of(exc)
            message = violations[0].message if violations else str(exc)
            status = 422 if constraint else 400
            return error_reply(
                status,
                "VALIDATION_ERROR" if constraint else "TypeMismatchException",
                f"Invalid value of parameter '{exc.name}': {message}",
                path=exc.name,
                user_message="Nieprawidłowa wartość parametru.",
            )
        except MissingRequestBodyError:
            return error_reply(
                400,
                "HttpMessageNotReadableException",
                "Required request body is missing",
                user_message="Brak treści żądania.",
            )
        except RequestBodyValidationError as exc:
            violations, constraint = _schema_path_of(exc)
            if not violations:
                return error_reply(
                    400,
                    "HttpMessageNotReadableException",
                    f"Malformed request body: {exc.__cause__ or exc}",
                    user_message="Nieprawidłowe dane w żądaniu.",
                )
            items = [
                ErrorItem(
                    "VALIDATION_ERROR",
                    v.message,
                    "Nieprawidłowe dane w żądaniu: " + (v.path or "treść"),
                    v.path,
                )
                for v in violations
            ]
            return Reply(422, ApiError(422, *items).as_json())
        except Exception as exc:
            return error_reply(400, "BadRequestException", f"Request does not match the API: {exc}")
        return None

    def _check_response(self, request: Request, ep: Endpoint, reply: Reply) -> None:
        status = reply.status
        documented = self.spec.documented_statuses(ep.method, ep.path)
        if not documented:
            return
        if 200 <= status < 300 and str(status) not in documented and "default" not in documented:
            self.emulator.record_violation(
                f"{ep.method} {ep.path}: status {status} not documented ({sorted(documented)})"
            )
            return
        media_type = reply.content_type.split(";")[0]
        if media_type not in (MEDIA_TYPE, BETA_MEDIA_TYPE) or isinstance(reply.body, str | bytes):
            return
        if status == 204 or reply.body is None:
            return
        body = json.loads(json.dumps(reply.body))
        for violation in self.spec.check_response(
            ep.method, ep.path, status, body, media_type=media_type
        ):
            self.emulator.record_violation(
                f"{ep.method} {request.path} → {status}: {violation.path or '<root>'}: "
                f"{violation.message}"
            )

    # -- response -----------------------------------------------------------------------------
    def _response(self, reply: Reply, trace_id: str) -> Response:
        headers = dict(reply.headers)
        headers["trace-id"] = trace_id
        if reply.status == 204 or reply.body is None:
            data: bytes = b""
        elif isinstance(reply.body, bytes):
            data = reply.body
        elif isinstance(reply.body, str):
            data = reply.body.encode()
        else:
            data = json.dumps(reply.body, ensure_ascii=False, separators=(",", ":")).encode()
        response = Response(data, status=reply.status, headers=headers)
        if data or reply.status not in (204, 304):
            response.headers["Content-Type"] = reply.content_type
        if reply.status == 204:
            response.headers.pop("Content-Type", None)
        return response
