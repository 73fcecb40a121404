"""Search every text column of every table for a NIR in clear (whatever spacing it was typed with)."""

from django.apps import apps
from django.db import models


def tables_holding(nir: str) -> list[str]:
    compact = nir.replace(" ", "").upper()
    found = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, (models.CharField, models.TextField, models.JSONField)):
                lookup = f"{field.attname}__icontains"
                if model._default_manager.filter(**{lookup: compact}).exists():
                    found.append(f"{model._meta.label}.{field.attname}")
    return found
