"""OpenAPI schema post-processing: document the error responses every endpoint can give.

All errors have the shape `{"detail": ...}` (config/api/exceptions.py): a message, or for a validation error
the fields and their messages. Documenting them lets clients, and the schema fuzzing in CI, rely on the schema.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type, build_bearer_security_scheme_object
from drf_spectacular.types import OpenApiTypes

ERROR_COMPONENT = "Erreur"
ERROR_SCHEMA = {
    "type": "object",
    "description": "Erreur : `detail` porte le message, ou pour une saisie invalide les champs et leurs messages.",
    "properties": {"detail": {}},
    "required": ["detail"],
    "additionalProperties": True,
}
COMMON = {
    "401": "Non authentifié.",
    "403": "Double authentification requise, ou action refusée.",
    "404": "Introuvable, ou hors de votre périmètre.",
    "429": "Trop de requêtes : réessayez plus tard.",
}
WITH_INPUT = {"400": "Saisie invalide."}
WRITES = {"409": "Conflit avec l'état de l'objet (déjà fait, modifié entre-temps)."}
WRITE_METHODS = {"post", "put", "patch"}


def _error(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}}}}


def add_error_responses(result, generator, request, public):
    result.setdefault("components", {}).setdefault("schemas", {})[ERROR_COMPONENT] = ERROR_SCHEMA
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            errors = dict(COMMON)
            if method in WRITE_METHODS or operation.get("parameters"):
                errors |= WITH_INPUT
            if method in WRITE_METHODS:
                errors |= WRITES
            for status, description in errors.items():
                operation["responses"].setdefault(status, _error(description))
    return result


class BreachReferenceFieldExtension(OpenApiSerializerFieldExtension):
    """notifications' BreachField reads and writes a breach reference (e.g. FUI-2026-0001): a string.
    Registered here so the schema needs no guess (else drf-spectacular warns and check --deploy is not clean)."""

    target_class = "notifications.api.serializers.BreachField"

    def map_serializer_field(self, auto_schema, direction):
        return build_basic_type(OpenApiTypes.STR)


TOKEN_DESCRIPTION = (
    "Jeton d'API, en-tête `Authorization: Token <jeton>`. Il se crée dans « Sécurité du compte » > « Jetons d'API », "
    "après la double authentification ; il n'est affiché qu'une fois, expire (par défaut 30 jours pour les caisses, "
    "7 pour le personnel national et les administrateurs) et cesse de valoir si le compte n'a plus de double "
    "authentification.")


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The API's tokens (config.tokens): `Authorization: Token <jeton>`."""

    target_class = "config.tokens.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        scheme = build_bearer_security_scheme_object(header_name="Authorization", token_prefix=self.target.keyword)
        return {**scheme, "description": TOKEN_DESCRIPTION}


class LookupTokenScheme(ApiTokenScheme):
    """The lookup's token authentication (breaches.lookup.http) takes the same header and the same tokens; it is its
    own class (it reads the caller's access in the same query), so the schema names it apart."""

    target_class = "breaches.lookup.http.LookupTokenAuthentication"
    name = "lookupTokenAuth"
