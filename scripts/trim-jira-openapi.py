#!/usr/bin/env python3
"""Regenerates tests/fidelity/jira-openapi.json from Atlassian's full OpenAPI document.

    python3 scripts/trim-jira-openapi.py <jira-cloud-platform-v3.json> [output]

The full document is Atlassian's Jira Cloud platform REST API (v3) OpenAPI document, published
by Atlassian at developer.atlassian.com (Apache 2.0). The trimmed copy keeps only the operations
the Jira simulator (src/sim/jira.rs) serves and everything they reference, transitively, with
descriptions, summaries, examples and x-* extensions left out: tests/fidelity/test_jira_openapi.py
checks structure and types only. The simulator's removed /search (410, as on Jira Cloud) is not
kept: nothing validates it. Output is deterministic (sorted keys), so a regeneration from the same
document gives the same file.
"""

import json
import sys
from pathlib import Path

OUTPUT = Path(__file__).resolve().parents[1] / "tests" / "fidelity" / "jira-openapi.json"

# (path, methods) the simulator serves under /rest/api/3 (and /rest/api/2, validated as v3).
OPERATIONS = {
    "/rest/api/3/serverInfo": ["get"],
    "/rest/api/3/field": ["get"],
    "/rest/api/3/project": ["get"],
    "/rest/api/3/project/search": ["get"],
    "/rest/api/3/project/{projectIdOrKey}": ["get"],
    "/rest/api/3/search/jql": ["get", "post"],
    "/rest/api/3/issue/{issueIdOrKey}": ["get"],
    "/rest/api/3/issue/{issueIdOrKey}/worklog": ["get"],
    "/rest/api/3/worklog/updated": ["get"],
    "/rest/api/3/worklog/deleted": ["get"],
    "/rest/api/3/worklog/list": ["post"],
    "/rest/api/3/users/search": ["get"],
    "/rest/api/3/user/search": ["get"],
    "/rest/api/3/user": ["get"],
    "/rest/api/3/myself": ["get"],
}

# Annotation keywords: prose and samples, no bearing on what a body may be.
PROSE = {"description", "summary", "example", "examples", "externalDocs", "title"}
# Keywords whose value is literal data, copied as is (a default may hold a key named "description").
LITERAL = {"default", "enum", "const"}
# Keywords whose value maps user-chosen names (property names, status codes, media types,
# component names...) to objects: their keys are never keywords, so none is stripped.
NAME_MAPS = {
    "properties", "patternProperties", "definitions", "$defs", "dependentSchemas",
    "paths", "responses", "content", "headers", "encoding", "links", "callbacks",
    "schemas", "parameters", "requestBodies", "securitySchemes", "variables", "scopes", "mapping",
}
# Required by OpenAPI 3.0 although prose: kept, emptied, so the trimmed copy stays a valid document.
RESPONSE_DESCRIPTION = ""


def clean(node):
    """`node` (an OpenAPI object or schema) without prose keywords and x-* extensions."""
    if isinstance(node, list):
        return [clean(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in PROSE or key.startswith("x-"):
            continue
        if key in LITERAL:
            out[key] = value
        elif key in NAME_MAPS and isinstance(value, dict):
            out[key] = {name: clean(item) for name, item in value.items()}
            if key == "responses":
                for response in out[key].values():
                    if isinstance(response, dict) and "$ref" not in response:
                        response["description"] = RESPONSE_DESCRIPTION
        else:
            out[key] = clean(value)
    return out


def refs(node, parent=None):
    """Every local reference in `node`: `$ref` values and discriminator mapping targets."""
    if isinstance(node, list):
        for item in node:
            yield from refs(item, parent)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            elif parent == "mapping" and isinstance(value, str) and value.startswith("#/"):
                yield value
            elif key not in LITERAL:
                yield from refs(value, key)


def security_names(node):
    """(scheme, scopes) pairs named by the security requirements in `node`."""
    if isinstance(node, list):
        for item in node:
            yield from security_names(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "security" and isinstance(value, list):
                for requirement in value:
                    for scheme, scopes in requirement.items():
                        yield scheme, scopes
            elif key not in LITERAL:
                yield from security_names(value)


def pointer(document, ref):
    if not ref.startswith("#/"):
        sys.exit(f"trim-jira-openapi: only local references are handled, not {ref}")
    node = document
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or part not in node:
            sys.exit(f"trim-jira-openapi: {ref} does not resolve in the full document")
        node = node[part]
    return node


def trim(full):
    paths = {}
    for path, methods in OPERATIONS.items():
        item = full.get("paths", {}).get(path)
        if item is None:
            sys.exit(f"trim-jira-openapi: the document has no {path}")
        kept = {}
        for method in methods:
            if method not in item:
                sys.exit(f"trim-jira-openapi: the document has no {method.upper()} {path}")
            kept[method] = item[method]
        # Path-level fields other than operations (parameters, servers) apply to every method.
        for key, value in item.items():
            if key not in ("get", "put", "post", "delete", "options", "head", "patch", "trace"):
                kept[key] = value
        paths[path] = clean(kept)

    # Components, transitively: each reference is "#/components/<kind>/<name>".
    components = {}
    pending = sorted(set(refs(paths)))
    seen = set()
    while pending:
        ref = pending.pop()
        if ref in seen:
            continue
        seen.add(ref)
        parts = ref[2:].split("/")
        if len(parts) != 3 or parts[0] != "components":
            sys.exit(f"trim-jira-openapi: unexpected reference {ref}")
        _, kind, name = parts
        component = clean(pointer(full, ref))
        components.setdefault(kind, {})[name.replace("~1", "/").replace("~0", "~")] = component
        pending.extend(r for r in refs(component) if r not in seen)

    # Security schemes named by the kept operations, OAuth2 scopes limited to the ones they use.
    used = {}
    for scheme, scopes in security_names(paths):
        used.setdefault(scheme, set()).update(scopes)
    for scheme, scopes in sorted(used.items()):
        definition = clean(full["components"]["securitySchemes"][scheme])
        for flow in definition.get("flows", {}).values():
            flow["scopes"] = {s: d for s, d in flow.get("scopes", {}).items() if s in scopes}
        components.setdefault("securitySchemes", {})[scheme] = definition

    info = full["info"]
    return {
        "openapi": full["openapi"],
        "info": {k: info[k] for k in ("title", "version", "license") if k in info},
        "servers": clean(full.get("servers", [])),
        "paths": paths,
        "components": components,
    }


def main(argv):
    if len(argv) not in (2, 3):
        sys.exit("usage: python3 scripts/trim-jira-openapi.py <jira-cloud-platform-v3.json> [output]")
    full = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    output = Path(argv[2]) if len(argv) == 3 else OUTPUT
    text = json.dumps(trim(full), sort_keys=True, indent=1, ensure_ascii=False) + "\n"
    output.write_text(text, encoding="utf-8")
    print(f"{output}: {len(text)} bytes, {len(full['paths'])} paths in, {len(OPERATIONS)} kept")


if __name__ == "__main__":
    main(sys.argv)
