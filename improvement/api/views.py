"""The API's readable page, drawn from its OpenAPI schema (no Swagger UI: nothing from a CDN, the NHS.UK layout)."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from improvement.core.roles import public

from .api import api

METHODS = ("get", "post", "put", "patch", "delete")


def _ref_name(schema):
    ref = schema.get("$ref") or schema.get("items", {}).get("$ref", "")
    return ref.rsplit("/", 1)[-1]


def _type(schema):
    if "$ref" in schema:
        return _ref_name(schema)
    if "anyOf" in schema:
        return " or ".join(_type(s) for s in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list of {_type(schema.get('items', {}))}"
    return schema.get("format") or schema.get("type") or "any"


def _operations(schema):
    for route, methods in schema["paths"].items():
        for method in METHODS:
            if method not in methods:
                continue
            op = methods[method]
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            yield {
                "id": op["operationId"], "method": method.upper(), "path": route, "summary": op.get("summary", ""),
                "parameters": [
                    {"name": p["name"], "where": p["in"], "required": p.get("required", False), "type": _type(p.get("schema", {})),
                     "description": p.get("description") or p.get("schema", {}).get("description", "")}
                    for p in op.get("parameters", [])
                ],
                "body": _type(body) if body else "",
                "responses": [(code, _type(r.get("content", {}).get("application/json", {}).get("schema", {})) if r.get("content") else "")
                              for code, r in op.get("responses", {}).items()],
            }


def _schemas(schema):
    for name, component in schema.get("components", {}).get("schemas", {}).items():
        required = set(component.get("required", ()))
        yield {
            "name": name,
            "fields": [{"name": field, "type": _type(spec), "required": field in required, "description": spec.get("description", "")}
                       for field, spec in component.get("properties", {}).items()],
        }


@require_safe
@public
def docs(request):
    schema = api.get_openapi_schema()
    return render(request, "api/docs.html", {
        "info": schema["info"], "operations": list(_operations(schema)), "schemas": list(_schemas(schema)),
    })
