"""The one screening of free text (config.screening): what it finds, and that every form, serializer and admin
form of the project refuses a NIR or an IBAN in every text field, except the few that must carry one."""

import inspect

import pytest
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from rest_framework import serializers

from casework.iban import make_french_iban
from config.nir import make_nir
from config.screening import identity_data_in, screen_free_text, screen_texts
from tests.support.discovery import import_project_modules, project_roots, project_subclasses

NIR = make_nir(sex=2, year=91, month=11, place="2A004", order=17)  # synthetic, valid key (Corsica)
IBAN = make_french_iban(account="00098765432")
SPACED_IBAN = " ".join(IBAN[i:i + 4] for i in range(0, len(IBAN), 4))
HOSTILE = {
    "NIR": f"Rappeler l'assurée {NIR[0]} {NIR[1:3]} {NIR[3:5]} {NIR[5:7]} {NIR[7:10]} {NIR[10:13]} {NIR[13:]} demain",
    "IBAN": f"Nouveau RIB : {SPACED_IBAN.lower()}.",
}

# Fields that legitimately carry a NIR or an IBAN (sealed, digested or looked up by the service), or a secret.
ALLOWED = {
    ("breaches.forms.LookupForm", "nir"),
    ("breaches.api.serializers.LookupInputSerializer", "nir"),
    ("casework.checks.forms.CheckForm", "nir"),
    ("casework.checks.forms.CheckForm", "iban"),
    ("casework.checks.forms.CheckForm", "person"),  # the signed person token of a lookup, not text
    ("casework.api.checks.CheckCreateSerializer", "nir"),
    ("casework.api.checks.CheckCreateSerializer", "iban"),
    ("casework.api.cases.CaseCreateSerializer", "nir"),
    ("casework.cases.forms.QueueFilterForm", "q"),  # searches: a full NIR is masked before the search
    ("casework.checks.forms.CheckFilterForm", "q"),
    ("network.admin.ScreenedUserCreationForm", "password1"),
    ("network.admin.ScreenedUserCreationForm", "password2"),
}


# --- what the screening finds ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    NIR, f"NIR {NIR[:13]} sans clé", f"{NIR[:7]}.{NIR[7:]}", "2-91-11-2a-004-017-" + NIR[13:],
    "assuré 1 84 12 75 115 423 57 (clé fausse, corps d'un vrai NIR)",
])
def test_a_nir_is_found_whatever_its_spelling(text):
    assert identity_data_in(text) == "NIR"


@pytest.mark.parametrize("text", [IBAN, SPACED_IBAN, SPACED_IBAN.lower() + " merci", "IBAN:" + IBAN,
                                  "DE89 3704 0044 0532 0130 00"])
def test_an_iban_is_found_whatever_its_spelling(text):
    assert identity_data_in(text) == "IBAN"


@pytest.mark.parametrize("text", [
    "", "Rappeler au 02 97 12 34 56", "+33 6 12 34 56 78", "SIRET 123 456 789 00012", "VIG-2026-0001",
    "Montant 1 250,00 € le 12/03/2026", "FUI-2026-0042 ouverte", "numéro 185055603400", "3 85 05 56 034 001 12",
    "FR76 1234", "Commande 1234567890123456789",
])
def test_ordinary_text_passes(text):
    assert identity_data_in(text) is None


def test_the_validator_refuses_in_french_and_names_why():
    with pytest.raises(ValidationError) as nir:
        screen_free_text(HOSTILE["NIR"])
    with pytest.raises(ValidationError) as iban:
        screen_free_text(HOSTILE["IBAN"])
    assert "numéro de sécurité sociale" in nir.value.messages[0] and nir.value.code == "identity_data"
    assert "IBAN" in iban.value.messages[0]


def test_services_screen_by_field_name():
    with pytest.raises(ValidationError) as error:
        screen_texts(summary="rien", note=HOSTILE["NIR"])
    assert list(error.value.message_dict) == ["note"]


# --- every form, serializer and admin form of the project ------------------------------------------------------

def _name(cls) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def _required_keywords(cls) -> dict:
    """Empty lists for the keyword-only arguments a form needs (assignees, funds, actions…)."""
    params = inspect.signature(cls.__init__).parameters.values()
    return {p.name: [] for p in params if p.kind is p.KEYWORD_ONLY and p.default is p.empty}


def _form_leaks(name: str, make_form) -> list[str]:
    leaks = []
    for field_name, field in make_form(None).fields.items():
        if not isinstance(field, forms.CharField) or field.disabled or (name, field_name) in ALLOWED:
            continue
        for kind, text in HOSTILE.items():
            form = make_form({field_name: text})
            form.is_valid()
            if field_name not in form.errors:
                leaks.append(f"{name}.{field_name} accepts a {kind}")
    return leaks


def _serializer_leaks(cls) -> list[str]:
    leaks = []
    for field_name, field in cls().fields.items():
        if field.read_only or (_name(cls), field_name) in ALLOWED:
            continue
        if isinstance(field, serializers.ListField) and isinstance(field.child, serializers.CharField):
            wrap = list  # a list of texts: each item is screened
        elif isinstance(field, serializers.CharField):
            wrap = str
        else:
            continue
        for kind, text in HOSTILE.items():
            incoming = cls(data={field_name: wrap([text]) if wrap is list else text})
            incoming.is_valid()
            if field_name not in incoming.errors:
                leaks.append(f"{_name(cls)}.{field_name} accepts a {kind}")
    return leaks


def _admin_forms(request) -> list[tuple[str, type]]:
    found = []
    roots = project_roots()
    for model, model_admin in admin.site._registry.items():
        if not type(model_admin).__module__.startswith(roots):
            continue  # third-party admins (OTP devices, lock-outs) are theirs
        if model_admin.has_add_permission(request):
            found.append(model_admin.get_form(request, obj=None))
        if model_admin.has_change_permission(request):
            obj = request.user if model is type(request.user) else None
            found.append(model_admin.get_form(request, obj=obj))
            found += [inline.get_formset(request).form for inline in model_admin.get_inline_instances(request)
                      if inline.has_change_permission(request)]
    # a form built by the admin is named after the project form it extends (for the allow-list)
    return [(next((_name(c) for c in form.__mro__ if c.__module__.startswith(roots)), form.__name__), form)
            for form in found]


@pytest.mark.django_db
def test_every_text_field_of_every_form_refuses_a_nir_or_an_iban():
    import_project_modules()
    form_classes = project_subclasses(forms.BaseForm)
    assert len(form_classes) > 15, "the walk found too few forms"
    leaks = []
    for cls in sorted(form_classes, key=_name):
        leaks += _form_leaks(_name(cls), lambda data, cls=cls: cls(data=data, **_required_keywords(cls)))
    assert not leaks, "\n".join(leaks)


@pytest.mark.django_db
def test_every_text_field_of_every_serializer_refuses_a_nir_or_an_iban():
    import_project_modules()
    serializer_classes = project_subclasses(serializers.BaseSerializer) - {serializers.ListSerializer}
    assert len(serializer_classes) > 15, "the walk found too few serializers"
    leaks = []
    for cls in sorted(serializer_classes, key=_name):
        leaks += _serializer_leaks(cls)
    assert not leaks, "\n".join(leaks)


@pytest.mark.django_db
def test_every_text_field_of_every_admin_form_refuses_a_nir_or_an_iban(admin_user):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    leaks = []
    for name, form_class in _admin_forms(request):
        leaks += _form_leaks(name, lambda data, form_class=form_class: form_class(data=data))
    assert not leaks, "\n".join(leaks)


def test_the_allow_list_names_real_fields():
    import_project_modules()
    found = project_subclasses(forms.BaseForm) | project_subclasses(serializers.BaseSerializer)
    classes = {_name(cls): cls for cls in found}
    for class_name, field_name in ALLOWED:
        cls = classes[class_name]
        declared = getattr(cls, "base_fields", None) or getattr(cls, "_declared_fields", {})
        assert field_name in declared, f"{class_name}.{field_name} no longer exists: drop it from ALLOWED"
        assert field_name in cls.unscreened_fields
