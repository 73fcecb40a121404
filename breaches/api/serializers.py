from rest_framework import serializers

from breaches.models import Breach, DataCategory
from config.screening import ScreenedModelSerializer, ScreenedSerializer


class BreachSerializer(ScreenedModelSerializer):
    organisations = serializers.ListField(source="organisation_list", read_only=True)
    data_categories = serializers.ListField(source="category_codes", read_only=True)
    departments = serializers.ListField(source="department_codes", read_only=True)
    status_changed_by = serializers.CharField(source="status_changed_by.username", default=None, read_only=True)
    people_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Breach
        fields = ["reference", "title", "description", "organisations", "discovered_on", "reported_on",
                  "data_categories", "departments", "severity", "status", "status_changed_at", "status_changed_by",
                  "regulator_reference", "people_count", "created_at", "updated_at"]


class BreachInputSerializer(ScreenedSerializer):
    """Validates shapes only; the rules live in breaches.services."""

    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True)
    organisations = serializers.ListField(child=serializers.CharField(max_length=200), required=False)
    discovered_on = serializers.DateField()
    reported_on = serializers.DateField(required=False, allow_null=True)
    data_categories = serializers.ListField(child=serializers.ChoiceField(DataCategory.choices), required=False)
    departments = serializers.ListField(child=serializers.CharField(max_length=3), required=False)
    severity = serializers.ChoiceField(Breach.Severity.choices, required=False)
    regulator_reference = serializers.CharField(max_length=60, required=False, allow_blank=True)

    def to_service(self) -> dict:
        data = dict(self.validated_data)
        if "organisations" in data:
            data["organisations"] = "\n".join(data["organisations"])
        return data


class BreachStatusSerializer(ScreenedSerializer):
    status = serializers.ChoiceField(Breach.Status.choices)


class LookupInputSerializer(ScreenedSerializer):
    unscreened_fields = ("nir",)  # the NIR looked up: it goes to the register gate, never stored in clear

    nir = serializers.CharField(max_length=40, trim_whitespace=True)
    purpose = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    history = serializers.BooleanField(
        required=False, default=False,
        help_text="true : joindre l'historique de la personne dans votre caisse (quelques requêtes de plus ; "
                  "la consultation seule reste à deux requêtes).")


class BreachHitSerializer(ScreenedSerializer):
    reference = serializers.CharField()
    title = serializers.CharField()
    discovered_on = serializers.DateField()
    data_categories = serializers.ListField(child=serializers.CharField())
    data_category_labels = serializers.ListField(child=serializers.CharField())
    fund_code = serializers.CharField(allow_null=True)
    fund_name = serializers.CharField(allow_null=True)


class LookupResultSerializer(ScreenedSerializer):
    flagged = serializers.BooleanField()
    nir_masked = serializers.CharField()
    breaches = BreachHitSerializer(many=True)
    fund_code = serializers.CharField(allow_null=True)
    fund_name = serializers.CharField(allow_null=True)
    actions = serializers.ListField(child=serializers.DictField())
    actions_complete = serializers.BooleanField(
        help_text="Faux quand les actions requises n'ont pas pu être lues : la réponse et sa ligne du journal valent, "
                  "consultez les consignes en cours.")
    history = serializers.DictField(
        help_text="À la caisse de l'appelant : vérifications (checks), dossiers (cases), alertes de compte partagé "
                  "(alerts), nombre d'autres caisses ayant vu la personne (other_funds, un nombre seulement), "
                  "blocked_attempt (un dossier clos « Tentative bloquée »). Présent si demandé (history: true) ; "
                  "vide pour le personnel national.", required=False)
