from django import forms
from django.utils.translation import gettext_lazy as _

from breaches.models import Breach, DataCategory
from network.departments import unknown_departments


class BreachForm(forms.Form):
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


class CohortUploadForm(forms.Form):
    file = forms.FileField(label=_("Fichier de la cohorte (CSV ou XLSX)"))
    allow_missing_key = forms.BooleanField(label=_("Le fichier contient des NIR sans clé (13 caractères)"),
                                           required=False)


class RouteForm(forms.Form):
    fund = forms.CharField(label=_("Code de la caisse destinataire"), max_length=3)
    department = forms.CharField(label=_("Département"), required=False, max_length=3)
    postcode_prefix = forms.CharField(label=_("Préfixe de code postal"), required=False, max_length=5)
    people = forms.CharField(required=False, widget=forms.HiddenInput)

    def person_ids(self) -> list[int]:
        return [int(value) for value in self.cleaned_data.get("people", "").split(",") if value.strip().isdigit()]


class LookupForm(forms.Form):
    nir = forms.CharField(label=_("NIR (15 caractères, clé comprise)"), max_length=40,
                          widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    purpose = forms.CharField(label=_("Motif (ex. changement de RIB)"), required=False, max_length=200)


class ExportForm(forms.Form):
    purpose = forms.CharField(label=_("Motif de l'export (inscrit au journal des accès)"), max_length=200)
