from django.utils import timezone
from rest_framework import serializers

from breaches.models import Breach
from config.screening import ScreenedModelSerializer, ScreenedSerializer
from notifications.models import Delivery, Instruction
from notifications.selectors import delivery_state, notice_retry


class BreachField(serializers.RelatedField):
    """A breach by its reference (e.g. FUI-2026-0001) or its id."""

    default_error_messages = {"missing": "Fuite inconnue : {value}."}

    def to_internal_value(self, data):
        field = "id" if isinstance(data, int) or str(data).isdigit() else "reference"
        breach = self.get_queryset().filter(**{field: data}).first()
        if breach is None:
            self.fail("missing", value=data)
        return breach

    def to_representation(self, breach) -> str:
        return breach.reference


class InstructionSerializer(ScreenedModelSerializer):
    targets = serializers.SerializerMethodField()
    follows = serializers.SlugRelatedField(slug_field="reference", read_only=True)
    breach = BreachField(read_only=True)
    author = serializers.SlugRelatedField(slug_field="username", read_only=True)
    issued_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Instruction
        fields = ["id", "reference", "title", "body", "required_actions", "breach", "nature", "follows", "targets",
                  "effective_date", "reply_by", "status", "version", "author", "issued_by", "issued_at",
                  "withdrawn_at", "withdrawal_reason"]

    def get_targets(self, instruction: Instruction) -> dict:
        info = [f.code for f in instruction.information_funds.all()]
        if instruction.targeting == Instruction.Targeting.DEPARTMENTS:
            return {"departments": instruction.target_departments, "for_information": info}
        if instruction.targeting == Instruction.Targeting.FUNDS:
            return {"funds": [f.code for f in instruction.target_funds.all()], "for_information": info}
        return {"all": True, "for_information": info}


def validate_dates(data: dict) -> dict:
    """The reply-by date cannot come before the effective date (the service checks it too, for partial changes)."""
    effective_date, reply_by = data.get("effective_date"), data.get("reply_by")
    if effective_date and reply_by and reply_by < effective_date:
        raise serializers.ValidationError(
            {"reply_by": ["La date de réponse attendue ne peut pas précéder la date d'effet."]})
    return data


class InstructionCreateSerializer(ScreenedSerializer):
    title = serializers.CharField(max_length=200)
    body = serializers.CharField()
    required_actions = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    targets = serializers.DictField(help_text='{"all": true} | {"departments": [...]} | {"funds": [...]}, '
                                              'avec "for_information": [codes] en option')
    reply_by = serializers.DateField(required=False, allow_null=True)
    effective_date = serializers.DateField(required=False, allow_null=True)
    nature = serializers.ChoiceField(choices=Instruction.Nature.choices, default=Instruction.Nature.NEW)
    follows = serializers.PrimaryKeyRelatedField(
        queryset=Instruction.objects.exclude(status=Instruction.Status.DRAFT), required=False, allow_null=True)
    breach = BreachField(queryset=Breach.objects.all(), required=False, allow_null=True)

    def validate(self, data):
        return validate_dates(data)


class AmendSerializer(ScreenedSerializer):
    changes = serializers.CharField()
    title = serializers.CharField(max_length=200, required=False)
    body = serializers.CharField(required=False)
    required_actions = serializers.ListField(child=serializers.CharField(), required=False)
    reply_by = serializers.DateField(required=False, allow_null=True)
    effective_date = serializers.DateField(required=False, allow_null=True)

    def validate(self, data):
        return validate_dates(data)


class WithdrawSerializer(ScreenedSerializer):
    reason = serializers.CharField()


class AttestSerializer(ScreenedSerializer):
    actions_done = serializers.ListField(child=serializers.IntegerField(min_value=0),
                                         help_text="Numéros des actions requises faites (à partir de 0).")
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class DeliveryInstructionSerializer(ScreenedModelSerializer):
    class Meta:
        model = Instruction
        fields = ["id", "reference", "title", "status", "version", "reply_by", "required_actions"]


class DeliverySerializer(ScreenedModelSerializer):
    instruction = DeliveryInstructionSerializer(read_only=True)
    fund = serializers.SlugRelatedField(slug_field="code", read_only=True)
    fund_name = serializers.CharField(source="fund.name", read_only=True)
    state = serializers.SerializerMethodField()
    acknowledged_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    attested_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    notice_status = serializers.CharField(source="last_notice_status", read_only=True, default=None)
    first_sent_at = serializers.DateTimeField(read_only=True, default=None)
    notice_attempts = serializers.IntegerField(source="last_notice_attempts", read_only=True, default=None)
    notice_retry_at = serializers.DateTimeField(source="last_notice_retry_at", read_only=True, default=None)
    notice_last_error = serializers.CharField(source="last_notice_error", read_only=True, default=None)
    notice_retry = serializers.SerializerMethodField(
        help_text="« nouvel essai n° N à HH:MM — dernière erreur : … » tant qu'un nouvel essai est prévu, sinon null.")

    class Meta:
        model = Delivery
        fields = ["id", "instruction", "fund", "fund_name", "for_action", "state", "notice_status", "first_sent_at",
                  "notice_attempts", "notice_retry_at", "notice_last_error", "notice_retry",
                  "acknowledged_version", "acknowledged_at", "acknowledged_by", "attested_version", "attested_at",
                  "attested_by", "actions_done", "comment"]

    def get_state(self, delivery: Delivery) -> str:
        return delivery_state(delivery, delivery.instruction, timezone.localdate())

    def get_notice_retry(self, delivery: Delivery) -> str | None:
        return notice_retry(delivery) or None
