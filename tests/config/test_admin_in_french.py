"""The admin speaks French: every model it shows, every field of those models and every column of its lists has a
French name (third-party ones included: history, second-factor devices, lock-out)."""

import pytest
from django.contrib import admin
from django.contrib.admin.utils import label_for_field
from django.urls import reverse
from django.utils import translation
from django.utils.text import camel_case_to_spaces

# Words that are the same in French and in the field's English name.
SAME_IN_FRENCH = {"code", "description", "action", "note", "source", "nature", "version", "agent", "permissions",
                  "id", "message", "date", "type"}
ENGLISH = ("historical", "device", "token", "user", "created", "updated", "history", "name", "fund", "granted",
           "confirmed", "last ", "throttling", "key", "step", "drift", "digits", "tolerance")


def _registered():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


def _auto_name(field) -> bool:
    return str(field.verbose_name) == field.name.replace("_", " ") and field.name not in SAME_IN_FRENCH


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


PROJECT_APPS = ("network", "accounts", "breaches", "casework", "notifications", "audit")


def _project_models():
    from django.apps import apps
    return [m for app in PROJECT_APPS for m in apps.get_app_config(app).get_models() if not m._meta.proxy]


@pytest.mark.parametrize("model", _project_models(), ids=lambda m: m._meta.label)
def test_every_field_of_the_project_has_a_french_name(model):
    untranslated = [f.name for f in model._meta.get_fields() if hasattr(f, "verbose_name") and _auto_name(f)]
    assert untranslated == []
    assert not str(model._meta.verbose_name).startswith("historical")


@pytest.mark.parametrize("model", [m for m, _ in _registered()], ids=lambda m: m._meta.label)
def test_admin_models_and_sections_have_french_names(model):
    meta = model._meta
    for name in (meta.verbose_name, meta.verbose_name_plural, meta.app_config.verbose_name):
        assert not any(word in str(name).lower() for word in ("historical", "device")), name
    assert str(meta.verbose_name) != camel_case_to_spaces(meta.object_name)
    assert meta.app_config.verbose_name != meta.app_label.title()


def _shown_fields(model_admin, request) -> list[str]:
    names = list(model_admin.get_list_display(request)) + list(model_admin.get_readonly_fields(request))
    for _title, options in model_admin.get_fieldsets(request):
        for name in options["fields"]:
            names.extend(name if isinstance(name, tuple | list) else [name])
    return [n for n in dict.fromkeys(names) if isinstance(n, str) and n not in ("__str__", "action_checkbox")]


@pytest.mark.parametrize("model,model_admin", _registered(), ids=lambda m: getattr(m, "_meta", None) and m._meta.label)
def test_what_the_admin_shows_is_labelled_in_french(model, model_admin, rf, admin_user):
    request = rf.get("/")
    request.user = admin_user
    labels = []
    for name in _shown_fields(model_admin, request):
        try:
            labels.append(str(label_for_field(name, model, model_admin)).lower())
        except AttributeError:  # a field of the form only (the add form's "usable_password"): labelled by its form
            continue
    assert not [label for label in labels if label in ENGLISH or label.startswith(ENGLISH)], labels


@pytest.mark.django_db
def test_the_admin_index_reads_in_french(client, admin_user):
    client.force_login(admin_user)
    html = client.get(reverse("admin:index")).content.decode()
    for english in ("Historical", "TOTP device", "Static device", "Otp_", ">Axes<"):
        assert english not in html
    assert "Applications d&#x27;authentification" in html or "Applications d'authentification" in html
