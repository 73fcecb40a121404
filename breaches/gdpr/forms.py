"""Forms of the GDPR record: the record itself (grouped in sections), a timeline event, reopening a breach."""

from django import forms
from django.utils.translation import gettext_lazy as _

from breaches.gdpr.models import BreachEvent
from breaches.gdpr.record import InformDecision, InformGround, NetworkRole, Origin
from config.screening import ScreenedForm

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT_MAX = 5000
NATURES = [("confidentiality", _("Confidentialité (divulgation, accès non autorisé)")),
           ("integrity", _("Intégrité (altération)")), ("availability", _("Disponibilité (perte, destruction)"))]


def _text(label, rows=3):
    return forms.CharField(label=label, required=False, max_length=TEXT_MAX,
                           widget=forms.Textarea(attrs={"rows": rows}))


def _choice(label, choices):
    return forms.ChoiceField(label=label, required=False, choices=[("", "—"), *choices])


class RecordForm(ScreenedForm):
    network_role = _choice(_("Rôle du réseau pour cette violation"), NetworkRole.choices)
    controller_names = _text(_("Responsable(s) du traitement, quand ce n'est pas le réseau (un par ligne)"), 2)
    processor_names = _text(_("Sous-traitant(s) (un par ligne)"), 2)
    aware_at = forms.DateTimeField(label=_("Le réseau en a eu connaissance le (date et heure)"), required=False,
                                   widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"])
    aware_how = _text(_("Comment le réseau en a eu connaissance"), 2)
    nature = forms.MultipleChoiceField(label=_("Nature de la violation"), required=False, choices=NATURES,
                                       widget=forms.CheckboxSelectMultiple)
    origin = _choice(_("Origine"), Origin.choices)
    people_categories = _text(_("Catégories de personnes concernées"), 2)
    people_approx = forms.IntegerField(label=_("Nombre approximatif de personnes"), required=False, min_value=0)
    records_approx = forms.IntegerField(label=_("Nombre approximatif d'enregistrements"), required=False,
                                        min_value=0)
    consequences = _text(_("Conséquences probables pour les personnes"))
    measures_taken = _text(_("Mesures prises"))
    measures_proposed = _text(_("Mesures envisagées"))
    dpo_opinion = _text(_("Avis du délégué à la protection des données"))
    cnil_notified_at = forms.DateTimeField(label=_("Notifiée à la CNIL le (date et heure)"), required=False,
                                           widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"])
    regulator_reference = forms.CharField(label=_("Référence de la notification CNIL"), required=False,
                                          max_length=60)
    late_reason = _text(_("Motif du retard (notification après 72 heures)"), 2)
    inform_decision = _choice(_("Décision"), InformDecision.choices)
    inform_ground = _choice(_("Motif de la décision"), InformGround.choices)
    informed_on = forms.DateField(label=_("Personnes informées le"), required=False, widget=DATE)
    inform_channel = forms.CharField(label=_("Canal de la communication (ex. campagne nationale)"), required=False,
                                     max_length=200)

    SECTIONS = [
        (_("Rôle du réseau"), ["network_role", "controller_names", "processor_names"]),
        (_("Prise de connaissance et faits"), ["aware_at", "aware_how", "nature", "origin"]),
        (_("Personnes et données"), ["people_categories", "people_approx", "records_approx"]),
        (_("Conséquences et mesures"), ["consequences", "measures_taken", "measures_proposed", "dpo_opinion"]),
        (_("Notification à la CNIL (article 33)"), ["cnil_notified_at", "regulator_reference", "late_reason"]),
        (_("Information des personnes (article 34)"), ["inform_decision", "inform_ground", "informed_on",
                                                        "inform_channel"]),
    ]

    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    @classmethod
    def initial_for(cls, breach, *, people_from_cohort: int | None) -> dict:
        initial = {name: getattr(breach, name) for name in cls.base_fields if name != "nature"}
        initial["nature"] = [code for code, _label in NATURES if getattr(breach, f"nature_{code}")]
        if breach.people_approx is None and people_from_cohort:
            initial["people_approx"] = people_from_cohort  # editable before saving
        return initial

    def to_service(self) -> dict:
        data = dict(self.cleaned_data)
        natures = data.pop("nature")
        for code, _label in NATURES:
            data[f"nature_{code}"] = code in natures
        return data


class EventForm(ScreenedForm):
    kind = forms.ChoiceField(label=_("Type d'événement"), choices=BreachEvent.Kind.choices)
    occurred_at = forms.DateTimeField(label=_("Date et heure"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M"])
    summary = forms.CharField(label=_("Résumé"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    document = forms.FileField(label=_("Document (PDF, image PNG ou JPEG, e-mail .eml)"), required=False)


class ReopenForm(ScreenedForm):
    reason = forms.CharField(label=_("Pourquoi rouvrir la fuite ?"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))
