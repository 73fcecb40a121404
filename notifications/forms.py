"""Forms of the instruction pages. They only shape input; the services decide."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from breaches.models import Breach
from config.screening import ScreenedForm
from network.regions import regions
from notifications.models import Instruction
from notifications.services import TargetSpec

DATE = forms.DateInput(attrs={"type": "date", "class": "fr-input"}, format="%Y-%m-%d")


def _codes(text: str) -> list[str]:
    return [c for c in re.split(r"[\s,;]+", text or "") if c]


def add_service_error(form: forms.Form, error) -> None:
    """Show a service's ApplicationError on the field it names (else on the form); the input stays as typed."""
    field = error.extra.get("field")
    form.add_error(field if field in form.fields else None, error.message)


BODY_HELP = _(
    "Séparez les paragraphes par une ligne vide. Listes : commencez la ligne par « - » (ou « 1. »). "
    "**gras**, *italique*. Lien : [texte](adresse), vers l'intranet ou un site autorisé seulement ; pas d'image."
)


class InstructionContentForm(ScreenedForm):
    title = forms.CharField(label=_("Titre"), max_length=200)
    body = forms.CharField(label=_("Texte de la consigne"), help_text=BODY_HELP,
                           widget=forms.Textarea(attrs={"rows": 10}))
    required_actions = forms.CharField(
        label=_("Actions requises"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Une action par ligne, dans l'ordre."),
    )
    effective_date = forms.DateField(label=_("Date d'effet"), required=False, widget=DATE)
    reply_by = forms.DateField(label=_("Réponse attendue le"), required=False, widget=DATE)

    def clean(self):
        data = super().clean()
        effective_date, reply_by = data.get("effective_date"), data.get("reply_by")
        if effective_date and reply_by and reply_by < effective_date:
            self.add_error("reply_by", _("La date de réponse attendue ne peut pas précéder la date d'effet."))
        return data

    def actions(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("required_actions", "").splitlines() if line.strip()]

    def content(self) -> dict:
        data = self.cleaned_data
        return {"title": data["title"], "body": data["body"], "required_actions": self.actions(),
                "effective_date": data.get("effective_date"), "reply_by": data.get("reply_by")}


class InstructionForm(InstructionContentForm):
    nature = forms.ChoiceField(label=_("Nature"), choices=Instruction.Nature.choices, initial="new")
    breach = forms.ModelChoiceField(label=_("Fuite concernée"), required=False, queryset=Breach.objects.all())
    follows = forms.ModelChoiceField(
        label=_("Consigne suivie"), required=False,
        queryset=Instruction.objects.exclude(status=Instruction.Status.DRAFT).order_by("-issued_at"),
    )
    targeting = forms.ChoiceField(
        label=_("Destinataires"), choices=Instruction.Targeting.choices, initial="all", widget=forms.RadioSelect,
    )
    departments = forms.CharField(label=_("Départements"), required=False, help_text=_("Ex. : 56, 29, 2A"))
    funds = forms.CharField(label=_("Caisses (codes)"), required=False, help_text=_("Ex. : 561, 291"))
    for_information = forms.CharField(
        label=_("Caisses destinataires pour information seulement (codes)"), required=False,
    )

    def targets(self) -> TargetSpec:
        data = self.cleaned_data
        mode = data["targeting"]
        return TargetSpec(
            targeting=mode, departments=_codes(data["departments"]) if mode == "departments" else [],
            funds=_codes(data["funds"]) if mode == "funds" else [], for_information=_codes(data["for_information"]),
        )

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {**self.content(), "targets": self.targets(), "nature": data["nature"], "follows": data["follows"],
                "breach": data["breach"]}

    @classmethod
    def initial_for(cls, instruction: Instruction) -> dict:
        return {
            "title": instruction.title, "body": instruction.body,
            "required_actions": "\n".join(instruction.required_actions),
            "effective_date": instruction.effective_date, "reply_by": instruction.reply_by,
            "nature": instruction.nature, "follows": instruction.follows_id, "breach": instruction.breach_id,
            "targeting": instruction.targeting,
            "departments": ", ".join(instruction.target_departments),
            "funds": ", ".join(f.code for f in instruction.target_funds.all()),
            "for_information": ", ".join(f.code for f in instruction.information_funds.all()),
        }


class AmendForm(InstructionContentForm):
    changes = forms.CharField(label=_("Ce qui change"), widget=forms.Textarea(attrs={"rows": 3}))

    def service_kwargs(self) -> dict:
        return {**self.content(), "changes": self.cleaned_data["changes"]}


class WithdrawForm(ScreenedForm):
    reason = forms.CharField(label=_("Motif du retrait"), widget=forms.Textarea(attrs={"rows": 3}))


class AttestForm(ScreenedForm):
    actions_done = forms.TypedMultipleChoiceField(
        label=_("Actions mises en œuvre"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple,
    )
    comment = forms.CharField(label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, actions: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actions_done"].choices = list(enumerate(actions))


class NetworkFilterForm(ScreenedForm):
    """The network view's filters, in the URL (a view can be shared)."""

    statut = forms.ChoiceField(label=_("Caisses"), required=False, choices=[
        ("", _("Toutes")), ("late", _("En retard")), ("open", _("Avec des consignes ouvertes")),
        ("up_to_date", _("À jour"))])
    region = forms.ChoiceField(label=_("Région"), required=False)
    departement = forms.RegexField(
        label=_("Département"), required=False, regex=r"^(\d{2,3}|2[AaBb])$", max_length=3,
        error_messages={"invalid": _("Département inconnu (ex. 56, 2A, 974).")})
    tri = forms.ChoiceField(label=_("Trier par"), required=False, choices=[
        ("retard", _("Plus grand retard")), ("ouvertes", _("Consignes ouvertes")), ("caisse", _("Code de caisse"))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("Toutes")), *sorted(regions().items(), key=lambda item: item[1])]


class TemplateForm(ScreenedForm):
    name = forms.CharField(label=_("Nom du modèle"), max_length=120)
    title = forms.CharField(label=_("Titre de la consigne"), max_length=200)
    body = forms.CharField(label=_("Texte"), widget=forms.Textarea(attrs={"rows": 12}),
                           help_text=_("Mise en forme : **gras**, *italique*, une ligne commençant par « - » pour "
                                       "une liste, une ligne vide entre deux paragraphes."))
    required_actions = forms.CharField(
        label=_("Actions requises"), required=False, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Une action par ligne, dans l'ordre."),
    )
    reply_days = forms.IntegerField(label=_("Délai de réponse (jours après l'émission)"), min_value=0,
                                    max_value=365, initial=7)

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        actions = [line.strip() for line in data.get("required_actions", "").splitlines() if line.strip()]
        return {"name": data["name"].strip(), "title": data["title"].strip(), "body": data["body"],
                "required_actions": actions, "reply_days": data["reply_days"]}

    @classmethod
    def initial_for(cls, template) -> dict:
        return {"name": template.name, "title": template.title, "body": template.body,
                "required_actions": "\n".join(template.required_actions), "reply_days": template.reply_days}
