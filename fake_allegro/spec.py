"""The vendored Allegro OpenAPI spec and the validators built from it.

The YAML (1.5 MB) is parsed once per process; the parsed dict is cached as a pickle under a cache
directory keyed by the file's sha256, which turns a ~0.8 s parse into ~0.03 s.

* Requests are validated strictly with openapi-core (parameters, their styles and the body), against
  the operation's own server (``https://api.allegro.pl`` or ``https://upload.allegro.pl``).
* Responses are validated with precompiled ``jsonschema`` validators against a *null-tolerant* copy
  of the spec: every schema is nullable and every enum also admits ``None`` (real Allegro responses
  carry nulls where the spec does not allow them).
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import pickle
import tempfile
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from jsonschema.exceptions import ValidationError
from jsonschema.protocols import Validator
from openapi_schema_validator import OAS30ReadValidator, OAS30WriteValidator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from fake_allegro.fastcheck import Check, Compiler

SPEC_PATH = Path(__file__).parent / "spec" / "allegro-openapi.yaml"
MEDIA_TYPE = "application/vnd.allegro.public.v1+json"
BETA_MEDIA_TYPE = "application/vnd.allegro.beta.v1+json"
API_HOST = "https://api.allegro.pl"
UPLOAD_HOST = "https://upload.allegro.pl"
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
_SPEC_URI = "urn:allegro-openapi"
_NULLABLE_URI = "urn:allegro-openapi-nullable"


def _cache_dir() -> Path:
    configured = os.environ.get("FAKE_ALLEGRO_CACHE_DIR")
    return Path(configured) if configured else Path(tempfile.gettempdir()) / "fake_allegro-cache"


def load_spec_dict(path: Path = SPEC_PATH) -> dict[str, Any]:
    """Parse the spec, through a pickle cache keyed by the file's sha256."""
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    cached = _cache_dir() / f"spec-{digest}.pickle"
    if cached.exists():
        try:
            loaded = pickle.loads(cached.read_bytes())  # noqa: S301 - our own cache file
            if isinstance(loaded, dict):
                return loaded
        except Exception:  # noqa: S110 - a corrupt cache is simply rebuilt
            pass
    import yaml

    parsed: dict[str, Any] = yaml.load(raw, Loader=yaml.CSafeLoader)
    parsed = json.loads(json.dumps(parsed, default=str))  # dates etc. become plain JSON values
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(pickle.dumps(parsed, protocol=pickle.HIGHEST_PROTOCOL))
        tmp.replace(cached)
    except OSError:
        pass
    return parsed


def _nullable_schema(schema: Any) -> None:
    """Mark ``schema`` and every schema below it nullable, in place."""
    if not isinstance(schema, dict):
        return
    if "$ref" not in schema:
        schema["nullable"] = True
        if "enum" in schema and None not in schema["enum"]:
            schema["enum"] = [*schema["enum"], None]
    if "oneOf" in schema:
        # With every branch nullable, ``null`` would match several branches of a oneOf.
        schema["anyOf"] = schema.pop("oneOf")
    for sub in schema.get("properties", {}).values():
        _nullable_schema(sub)
    for key in ("items", "additionalProperties", "not"):
        _nullable_schema(schema.get(key))
    for key in ("allOf", "anyOf"):
        for sub in schema.get(key, []):
            _nullable_schema(sub)


# Places where real Allegro responses contradict the spec beyond nulls: an empty order list comes
# back as ``{"checkoutForms": [], "count": 0, "totalCount": 0}`` though the spec says minimum 1.
_ERRATA: tuple[tuple[str, str, str], ...] = (
    ("CheckoutForms", "count", "minimum"),
    ("CheckoutForms", "totalCount", "minimum"),
)


def null_tolerant(spec: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of ``spec`` in which ``null`` is allowed anywhere in a schema."""
    result = copy.deepcopy(spec)
    schemas = result.get("components", {}).get("schemas", {})
    for schema_name, prop, keyword in _ERRATA:
        prop_schema = schemas.get(schema_name, {}).get("properties", {}).get(prop)
        if isinstance(prop_schema, dict):
            prop_schema.pop(keyword, None)
    for schema in result.get("components", {}).get("schemas", {}).values():
        _nullable_schema(schema)
    for _path, _method, operation in iter_operations(result):
        for response in operation.get("responses", {}).values():
            for media in (response.get("content") or {}).values():
                _nullable_schema(media.get("schema"))
        for media in ((operation.get("requestBody") or {}).get("content") or {}).values():
            _nullable_schema(media.get("schema"))
    return result


def iter_operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in spec.get("paths", {}).items():
        for method in HTTP_METHODS:
            if method in item:
                yield path, method.upper(), item[method]


def _pointer(*parts: str) -> str:
    return "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


@dataclass(frozen=True)
class SchemaViolation:
    message: str
    path: str  # dotted path of the offending field ("" for the root)


def _dotted(error: ValidationError) -> str:
    parts: list[str] = []
    for item in error.absolute_path:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts)


def best_errors(errors: Iterator[ValidationError], limit: int = 10) -> list[SchemaViolation]:
    found: list[SchemaViolation] = []
    for error in errors:
        path = _dotted(error)
        if error.validator == "required" and isinstance(error.instance, dict):
            # Name the missing field itself.
            missing = error.message.split("'")[1] if "'" in error.message else ""
            path = f"{path}.{missing}" if path and missing else missing or path
        found.append(SchemaViolation(error.message, path))
        if len(found) >= limit:
            break
    return found


class Spec:
    """The parsed spec plus lazily built validators; one instance per process (:func:`get_spec`)."""

    def __init__(self, raw: dict[str, Any]):
        self.raw = raw
        self._lock = threading.Lock()
        self._response_validators: dict[tuple[str, str, str, str], Validator | None] = {}
        self._schema_validators: dict[tuple[str, bool], Validator] = {}
        self._fast: dict[str, Check] = {}

    @classmethod
    def load(cls, path: Path = SPEC_PATH) -> Spec:
        return cls(load_spec_dict(path))

    # -- lookup ---------------------------------------------------------------------------------
    def operation(self, method: str, path: str) -> dict[str, Any] | None:
        item = self.raw.get("paths", {}).get(path)
        if item is None:
            return None
        op = item.get(method.lower())
        return op if isinstance(op, dict) else None

    def operations(self) -> list[tuple[str, str, dict[str, Any]]]:
        return list(iter_operations(self.raw))

    def resolve(self, node: Any) -> Any:
        """Follow a local ``$ref`` (``#/components/...``) to the object it names."""
        while isinstance(node, dict) and "$ref" in node:
            target: Any = self.raw
            for part in str(node["$ref"]).removeprefix("#/").split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
        return node

    def request_media_types(self, method: str, path: str) -> set[str]:
        """Media types the operation's request body may have."""
        op = self.operation(method, path) or {}
        body = self.resolve(op.get("requestBody") or {})
        return set((body or {}).get("content") or {})

    def response_media_types(self, method: str, path: str) -> set[str]:
        """Media types of the operation's 2xx answers."""
        op = self.operation(method, path) or {}
        found: set[str] = set()
        for status, response in (op.get("responses") or {}).items():
            if str(status).startswith("2"):
                found |= set((self.resolve(response) or {}).get("content") or {})
        return found

    def server_for(self, method: str, path: str) -> str:
        op = self.operation(method, path) or {}
        servers = op.get("servers") or []
        if servers and str(servers[0].get("url", "")).startswith("https://upload."):
            return UPLOAD_HOST
        return API_HOST

    # -- request validation (openapi-core) ------------------------------------------------------
    @cached_property
    def request_openapi(self) -> Any:
        """openapi-core's ``OpenAPI`` for strict request checks (security handled by the app)."""
        from openapi_core import Config, OpenAPI

        stripped = copy.copy(self.raw)
        stripped["paths"] = {}
        for path, item in self.raw.get("paths", {}).items():
            new_item = dict(item)
            for method in HTTP_METHODS:
                if method in item:
                    op = dict(item[method])
                    op.pop("security", None)
                    op["responses"] = {"default": {"description": "any"}}
                    new_item[method] = op
            stripped["paths"][path] = new_item
        stripped.pop("security", None)
        components = dict(stripped.get("components", {}))
        components.pop("securitySchemes", None)
        stripped["components"] = components
        # The spec's MessageRequest requires an ``attachment`` property it does not define; its
        # description says "at least one of text, attachment" (checked by the handler).
        schemas = dict(components.get("schemas", {}))
        message = dict(schemas.get("MessageRequest", {}))
        if "required" in message:
            message["required"] = [r for r in message["required"] if r != "attachment"]
            schemas["MessageRequest"] = message
            components["schemas"] = schemas
        config = Config(
            extra_media_type_deserializers={MEDIA_TYPE: json.loads, BETA_MEDIA_TYPE: json.loads}
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return OpenAPI.from_dict(stripped, config=config)

    # -- schema validation (jsonschema) ---------------------------------------------------------
    @cached_property
    def nullable_raw(self) -> dict[str, Any]:
        return null_tolerant(self.raw)

    @cached_property
    def _registry(self) -> Registry[Any]:
        registry: Registry[Any] = Registry()
        return registry.with_resources(
            [
                (_SPEC_URI, Resource.from_contents(self.raw, default_specification=DRAFT4)),
                (
                    _NULLABLE_URI,
                    Resource.from_contents(self.nullable_raw, default_specification=DRAFT4),
                ),
            ]
        )

    @cached_property
    def _nullable_compiler(self) -> Compiler:
        return Compiler(self.nullable_raw)

    def _fast_check(self, pointer: str) -> Check:
        with self._lock:
            check = self._fast.get(pointer)
            if check is None:
                check = self._nullable_compiler.compile({"$ref": f"#/{pointer}"})
                self._fast[pointer] = check
            return check

    def _checked(self, validator: Validator, instance: Any) -> list[SchemaViolation]:
        pointer = str(validator.schema["$ref"]).split("#/", 1)[1]
        if str(validator.schema["$ref"]).startswith(_NULLABLE_URI) and self._fast_check(pointer)(
            instance
        ):
            return []
        return best_errors(validator.iter_errors(instance))

    def _validator_for(self, pointer: str, *, nullable: bool, read: bool) -> Validator:
        uri = _NULLABLE_URI if nullable else _SPEC_URI
        cls = OAS30ReadValidator if read else OAS30WriteValidator
        return cls({"$ref": f"{uri}#/{pointer}"}, registry=self._registry)

    def response_validator(
        self, method: str, path: str, status: int, media_type: str = MEDIA_TYPE
    ) -> Validator | None:
        """Validator of the response body documented for ``status`` (None: nothing to check)."""
        key = (method.upper(), path, str(status), media_type)
        with self._lock:
            if key in self._response_validators:
                return self._response_validators[key]
            validator: Validator | None = None
            op = self.operation(method, path)
            if op is not None:
                responses = op.get("responses", {})
                code = str(status) if str(status) in responses else "default"
                content = (responses.get(code) or {}).get("content") or {}
                if media_type in content and "schema" in content[media_type]:
                    pointer = _pointer(
                        "paths", path, method.lower(), "responses", code, "content", media_type
                    )
                    validator = self._validator_for(f"{pointer}/schema", nullable=True, read=True)
            self._response_validators[key] = validator
            return validator

    def documented_statuses(self, method: str, path: str) -> set[str]:
        op = self.operation(method, path) or {}
        return set(op.get("responses", {}))

    def schema_validator(self, name: str, *, nullable: bool) -> Validator:
        """Validator of ``components/schemas/<name>`` (read context)."""
        key = (name, nullable)
        with self._lock:
            if key not in self._schema_validators:
                self._schema_validators[key] = self._validator_for(
                    _pointer("components", "schemas", name), nullable=nullable, read=True
                )
            return self._schema_validators[key]

    def check_schema(self, name: str, instance: Any, *, nullable: bool) -> list[SchemaViolation]:
        validator = self.schema_validator(name, nullable=nullable)
        return self._checked(validator, instance)

    def check_response(
        self, method: str, path: str, status: int, body: Any, *, media_type: str = MEDIA_TYPE
    ) -> list[SchemaViolation]:
        validator = self.response_validator(method, path, status, media_type)
        if validator is None:
            return []
        return self._checked(validator, body)


_SPEC: Spec | None = None
_SPEC_LOCK = threading.Lock()


def get_spec() -> Spec:
    """The process-wide :class:`Spec` (parsed on first use)."""
    global _SPEC
    with _SPEC_LOCK:
        if _SPEC is None:
            _SPEC = Spec.load()
        return _SPEC
