"""/api/v1/checks/: the same services and selectors as the pages. POST takes the NIR in the body."""

from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from casework.cases.services import case_open_from_check
from casework.checks.models import Check
from casework.checks.selectors import checks_for, get_check_for
from casework.checks.services import check_log
from config.screening import ScreenedModelSerializer, ScreenedSerializer
from network.permissions import funds_of
from network.roles import LOG_CHECK, WORK_CASES


class CheckSerializer(ScreenedModelSerializer):
    fund = serializers.CharField(source="fund.code")
    agent = serializers.CharField(source="agent.username")
    case = serializers.SerializerMethodField()

    class Meta:
        model = Check
        fields = ["id", "fund", "nir_masked", "person_flagged", "kind", "channel", "outcome", "note", "agent",
                  "created_at", "case"]

    def get_case(self, check: Check) -> int | None:
        return getattr(getattr(check, "case", None), "pk", None)


class CheckCreateSerializer(ScreenedSerializer):
    unscreened_fields = ("nir", "iban")  # sealed or digested by the service

    nir = serializers.CharField(max_length=40, write_only=True)
    kind = serializers.ChoiceField(choices=Check.Kind.choices)
    channel = serializers.ChoiceField(choices=Check.Channel.choices)
    outcome = serializers.ChoiceField(choices=Check.Outcome.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    iban = serializers.CharField(required=False, allow_blank=True, default="", write_only=True)
    fund = serializers.CharField(required=False, allow_blank=True, default="", help_text="Code de la caisse")
    open_case = serializers.BooleanField(required=False, default=False)


class CheckViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Checks of the caller's funds (all funds for national staff). POST logs a check for one of the
    caller's funds; `open_case: true` on an anomaly opens its case at once."""
    lookup_value_regex = r"\d+"  # ids are numbers: anything else is a 404, not a crash

    serializer_class = CheckSerializer
    filterset_fields = ["kind", "channel", "outcome"]

    def get_queryset(self):
        return checks_for(user=self.request.user)

    def get_serializer_class(self):
        return CheckCreateSerializer if self.action == "create" else CheckSerializer

    def create(self, request, *args, **kwargs):
        incoming = CheckCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        code = data.pop("fund")
        fund = funds_of(user=request.user, perm=LOG_CHECK).filter(code=code).first() if code else None
        if code and fund is None:
            return Response({"detail": "Caisse inconnue ou non autorisée."}, status=status.HTTP_400_BAD_REQUEST)
        logged = check_log(actor=request.user, fund=fund, client_address=request.META.get("REMOTE_ADDR") or None,
                           **data)
        check = get_check_for(user=request.user, check_id=logged.check.pk)
        return Response(CheckSerializer(check).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], url_path="open-case")
    def open_case(self, request, pk=None):
        check = get_check_for(user=request.user, check_id=pk, perm=WORK_CASES)
        case = case_open_from_check(check=check, actor=request.user)
        return Response({"case": case.pk}, status=status.HTTP_201_CREATED)
