"""/api/v1/signals/ (national staff, in batches) and /api/v1/alerts/ (shared-account alerts)."""

from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from casework.risk.models import SharedAccountAlert, SignalBatch
from casework.risk.selectors import alerts_for, signal_batches_for
from casework.risk.services import signals_ingest
from config.screening import ScreenedModelSerializer
from network.permissions import IsNational

MAX_BATCH = 100_000


class SignalBatchSerializer(ScreenedModelSerializer):
    loaded_by = serializers.CharField(source="loaded_by.username")

    class Meta:
        model = SignalBatch
        fields = ["id", "source", "file_name", "received", "matched", "cases_opened", "loaded_by", "created_at"]


class SignalViewSet(mixins.CreateModelMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """POST a list of signals (or {"signals": [...]}): each `nir`, `kind` (bank_details, account_recovery,
    address_change), `occurred_on` (YYYY-MM-DD), `fund` (code), optional `iban`. Answers how many matched.
    Any invalid row rejects the batch with each row's index and reason. GET lists the loads."""

    permission_classes = [IsNational]
    serializer_class = SignalBatchSerializer

    def get_queryset(self):
        return signal_batches_for(user=self.request.user)

    def create(self, request, *args, **kwargs):
        rows = request.data.get("signals") if isinstance(request.data, dict) else request.data
        if not isinstance(rows, list) or not rows or len(rows) > MAX_BATCH:
            return Response({"detail": f"Envoyez une liste de 1 à {MAX_BATCH} signaux."},
                            status=status.HTTP_400_BAD_REQUEST)
        if not all(isinstance(row, dict) for row in rows):
            return Response({"detail": "Chaque signal est un objet."}, status=status.HTTP_400_BAD_REQUEST)
        result = signals_ingest(actor=request.user, rows=rows, first_line=0)
        return Response({"batch": result.batch.pk, "received": result.received, "matched": result.matched,
                         "cases_opened": result.cases_opened, "alerts": result.alerts},
                        status=status.HTTP_201_CREATED)


class AlertSerializer(ScreenedModelSerializer):
    funds = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = SharedAccountAlert
        fields = ["id", "reference", "people_count", "funds", "created_at", "updated_at"]


class AlertViewSet(viewsets.ReadOnlyModelViewSet):
    """Shared-account alerts: all for national staff, those naming one of the caller's funds otherwise."""
    lookup_value_regex = r"\d+"  # ids are numbers: anything else is a 404, not a crash

    serializer_class = AlertSerializer
    filter_backends: list = []

    def get_queryset(self):
        return alerts_for(user=self.request.user)
