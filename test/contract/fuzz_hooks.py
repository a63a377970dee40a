"""Schemathesis hooks for the contract fuzz (test/contract/schemathesis.test.ts).

FUZZ_FIXTURES (JSON): ids of real objects of the fuzz's own district, by path parameter name
(`id` by path prefix), so that generated requests reach real imports, runs and batches as well as
random ids. FUZZ_SECRETS (JSON): strings no response may contain, by what they are.
"""

import json
import os

import schemathesis
from hypothesis import strategies as st

FIXTURES = json.loads(os.environ.get("FUZZ_FIXTURES", "{}"))
SECRETS = {name: value.encode() for name, value in json.loads(os.environ.get("FUZZ_SECRETS", "{}")).items() if value}

# The object `{id}` names, by the path it is in.
ID_BY_PREFIX = [
    ("/api/districts/", "districtId"),
    ("/api/mappings/", "mappingId"),
    ("/api/imports/", "importId"),
    ("/api/orders/", "orderId"),
]


def fixture_for(path, name):
    if name == "id":
        for prefix, key in ID_BY_PREFIX:
            if path.startswith(prefix):
                return FIXTURES.get(key)
        return None
    return FIXTURES.get(name)


@schemathesis.hook
def flatmap_path_parameters(ctx, path_parameters):
    """Each parameter as generated, or the id of a real object of the district."""
    if not path_parameters or ctx.operation is None:
        return st.just(path_parameters)
    choices = {}
    for name, value in path_parameters.items():
        real = fixture_for(ctx.operation.path, name)
        choices[name] = st.sampled_from([value, real]) if real else st.just(value)
    return st.fixed_dictionaries(choices)


@schemathesis.hook
def before_call(ctx, case, kwargs):
    """The fuzz key may revoke any key of its district but its own, which would end the fuzz.

    Schemathesis reuses ids from earlier responses (the key list holds the fuzz key's id), so this is
    checked on every request, whatever made it.
    """
    own, spare = FIXTURES.get("ownKeyId"), FIXTURES.get("keyId")
    if case.operation.path.endswith("/keys/{keyId}") and case.path_parameters and case.path_parameters.get("keyId") == own:
        case.path_parameters["keyId"] = spare


@schemathesis.check
def no_secret_in_response(ctx, response, case):
    """No response carries a connection password or private key, the API key, or the secrets key."""
    body = response.content or b""
    headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items()).encode()
    for name, secret in SECRETS.items():
        if secret in body or secret in headers:
            raise AssertionError(f"The response carries {name}")
