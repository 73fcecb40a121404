from django import forms
from django.utils.translation import gettext_lazy as _

from breaches.models import Breach, DataCategory
from config.screening import ScreenedForm
from network.departments import unknown_departments


class BreachForm(ScreenedForm):
    title = forms.CharField(label=_("Titre"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    organisations = forms.CharField(label=_("Organismes à l'origine de la fuite (un par ligne)"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 3}))
    discovered_on = forms.DateField(label=_("Découverte le"), widget=forms.DateInput(attrs={"type": "date"}))
    reported_on = forms.DateField(label=_("Signalée le"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))
    data_categories = forms.MultipleChoiceField(label=_("Catégories de données exposées"), required=False,
                                                choices=DataCategory.choices, widget=forms.CheckboxSelectMultiple)
    departments = forms.CharField(label=_("Départements concernés (séparés par des virgules)"), required=False,
                                  max_length=600)
    severity = forms.ChoiceField(label=_("Gravité"), choices=Breach.Severity.choices, initial=Breach.Severity.HIGH)
    regulator_reference = forms.CharField(label=_("Référence CNIL"), required=False, max_length=60)

    def clean_departments(self) -> str:
        """Real department codes only (2A, 2B, 971–976 included); the service checks the same list again."""
        value = self.cleaned_data["departments"]
        codes = [code.strip().upper() for code in value.replace(";", ",").replace(" ", ",").split(",") if code.strip()]
        wrong = unknown_departments(codes)
        if wrong:
            raise forms.ValidationError(_("Département inconnu : %(codes)s. Exemples valides : 56, 2A, 974."),
                                        params={"codes": ", ".join(wrong)})
        return value

    @classmethod
    def initial_for(cls, breach: Breach) -> dict:
        return {"title": breach.title, "description": breach.description, "organisations": breach.organisations,
                "discovered_on": breach.discovered_on, "reported_on": breach.reported_on,
                "data_categories": breach.category_codes, "departments": ", ".join(breach.department_codes),
                "severity": breach.severity, "regulator_reference": breach.regulator_reference}


class CohortUploadForm(ScreenedForm):
    file = forms.FileField(label=_("Fichier de la cohorte (CSV ou XLSX)"))
    allow_missing_key = forms.BooleanField(label=_("Le fichier contient des NIR sans clé (13 caractères)"),
                                           required=False)


class RouteForm(ScreenedForm):
    fund = forms.CharField(label=_("Code de la caisse destinataire"), max_length=3)
    department = forms.CharField(label=_("Département"), required=False, max_length=3)
    postcode_prefix = forms.CharField(label=_("Préfixe de code postal"), required=False, max_length=5)
    people = forms.CharField(required=False, widget=forms.HiddenInput)

    def person_ids(self) -> list[int]:
        return [int(value) for value in self.cleaned_data.get("people", "").split(",") if value.strip().isdigit()]


# The request that brought the person in, and how. The codes are those of casework's check kinds and channels
# (tests/casework/test_counter.py holds them together): the check form opens prefilled from the lookup.
LOOKUP_MOTIVES = [
    ("bank_details", _("Changement de RIB")), ("account_recovery", _("Récupération de compte en ligne")),
    ("address_change", _("Changement d'adresse")), ("identity", _("Vérification d'identité")),
    ("other", _("Autre demande")),
]
LOOKUP_CHANNELS = [("counter", _("Accueil")), ("phone", _("Téléphone")), ("mail", _("Courrier")),
                   ("online", _("En ligne"))]


class LookupForm(ScreenedForm):
    unscreened_fields = ("nir",)  # the NIR looked up: it goes to the register gate, never stored in clear
    nir = forms.CharField(label=_("NIR (15 caractères, clé comprise)"), max_length=40,
                          widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    motive = forms.ChoiceField(label=_("Demande reçue"), required=False, choices=[("", "—"), *LOOKUP_MOTIVES])
    channel = forms.ChoiceField(label=_("Canal"), required=False, choices=[("", "—"), *LOOKUP_CHANNELS])
    purpose = forms.CharField(label=_("Précision (facultatif)"), required=False, max_length=200)

    def access_purpose(self) -> str:
        """What the access log keeps as the lookup's purpose: the motive's label, then the free text."""
        data = self.cleaned_data
        label = str(dict(LOOKUP_MOTIVES).get(data.get("motive"), ""))
        return " — ".join(part for part in (label, data.get("purpose", "").strip()) if part)[:200]


class ExportForm(ScreenedForm):
    purpose = forms.CharField(label=_("Motif de l'export (inscrit au journal des accès)"), max_length=200)
