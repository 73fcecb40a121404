"""/api/v1/cases/ and /api/v1/cases/{id}/timeline/: scoped by the case gate, writes through the services."""

from django.http import FileResponse, Http404
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from casework.cases import services
from casework.cases.attachments import attachment_path, case_attach
from casework.cases.models import Case, CaseEvent
from casework.cases.selectors import WORK, case_timeline, cases_for, get_case_for, queue_filter, user_from_input
from casework.identity import person_from_nir
from config.screening import ScreenedModelSerializer, ScreenedSerializer
from config.uploads import upload_limit, upload_refusal
from network.models import Fund
from network.permissions import funds_of
from network.roles import MANAGE_CASES


class CaseSerializer(ScreenedModelSerializer):
    fund = serializers.CharField(source="fund.code")
    assignee = serializers.CharField(source="assignee.username", default=None)

    class Meta:
        model = Case
        fields = ["id", "fund", "nir_masked", "origin", "origin_check", "signal_kind", "signal_occurred_on",
                  "summary", "priority", "status", "closing_reason", "assignee", "due_on", "created_at",
                  "closed_at"]


class EventSerializer(ScreenedModelSerializer):
    actor = serializers.CharField(source="actor.username", default=None)
    assignee = serializers.CharField(source="assignee.username", default=None)
    fund = serializers.CharField(source="fund.code", default=None)
    attachment = serializers.SerializerMethodField()

    class Meta:
        model = CaseEvent
        fields = ["id", "kind", "actor", "created_at", "body", "from_status", "to_status", "assignee",
                  "check_ref", "attachment", "fund"]

    def get_attachment(self, event: CaseEvent) -> dict | None:
        if event.attachment is None:
            return None
        a = event.attachment
        return {"id": a.pk, "name": a.original_name, "content_type": a.content_type, "size": a.size}


class CaseCreateSerializer(ScreenedSerializer):
    unscreened_fields = ("nir",)  # sealed and digested by the service

    nir = serializers.CharField(max_length=40, write_only=True)
    fund = serializers.CharField(help_text="Code de la caisse")
    summary = serializers.CharField(max_length=200)
    priority = serializers.ChoiceField(choices=Case.Priority.choices, default=Case.Priority.NORMAL)


class BulkAssignSerializer(ScreenedSerializer):
    cases = serializers.ListField(child=serializers.IntegerField(), allow_empty=False, max_length=500)
    assignee = serializers.IntegerField()


class AssignSerializer(ScreenedSerializer):
    assignee = serializers.CharField(max_length=20, help_text="Identifiant de l'agent, ou « me »")


class CommentSerializer(ScreenedSerializer):
    body = serializers.CharField()


class StatusSerializer(ScreenedSerializer):
    status = serializers.CharField(max_length=20)
    closing_reason = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ShareSerializer(ScreenedSerializer):
    fund = serializers.CharField(max_length=3, help_text="Code de la caisse")
    reason = serializers.CharField()


def _valid(serializer_class, data) -> dict:
    incoming = serializer_class(data=data)
    incoming.is_valid(raise_exception=True)
    return incoming.validated_data


class CaseViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Cases the caller may see; filters `status` (open, new, in_progress, closed, all), `assignee` (me, none,
    id), `priority`, `origin`, `overdue`. Actions: timeline, comment, status, assign, share, attachments."""
    lookup_value_regex = r"\d+"  # ids are numbers: anything else is a 404, not a crash

    serializer_class = CaseSerializer
    filter_backends: list = []
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        params = self.request.query_params
        return queue_filter(cases_for(user=self.request.user), user=self.request.user,
                            status=params.get("status", "all" if self.action != "list" else ""),
                            assignee=params.get("assignee", ""), priority=params.get("priority", ""),
                            origin=params.get("origin", ""), overdue=params.get("overdue") in ("1", "true", "on"))

    def get_serializer_class(self):
        return CaseCreateSerializer if self.action == "create" else CaseSerializer

    def retrieve(self, request, pk=None):
        return Response(CaseSerializer(get_case_for(user=request.user, case_id=pk)).data)

    def create(self, request, *args, **kwargs):
        incoming = CaseCreateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        fund = Fund.objects.filter(code=data["fund"]).first()
        if fund is None:
            raise Http404
        case = services.case_open(fund=fund, person=person_from_nir(data["nir"]), actor=request.user,
                                  summary=data["summary"], priority=data["priority"])
        return Response(CaseSerializer(case).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["get"])
    def timeline(self, request, pk=None):
        case = get_case_for(user=request.user, case_id=pk)
        return Response(EventSerializer(case_timeline(case=case), many=True).data)

    def _work(self, pk) -> Case:
        return get_case_for(user=self.request.user, case_id=pk, perm=WORK)

    @action(detail=True, methods=["post"])
    def comment(self, request, pk=None):
        case = self._work(pk)
        body = _valid(CommentSerializer, request.data)["body"]
        event = services.case_comment(case=case, actor=request.user, body=body)
        return Response(EventSerializer(event).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], url_path="status")
    def change_status(self, request, pk=None):
        case = self._work(pk)
        case = services.case_change_status(case=case, actor=request.user, **_valid(StatusSerializer, request.data))
        return Response(CaseSerializer(case).data)

    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        case = self._work(pk)  # the gate before the input: an outsider learns nothing from a 400
        assignee = user_from_input(_valid(AssignSerializer, request.data)["assignee"], me=request.user)
        if assignee is None:
            return Response({"detail": services.UNKNOWN_AGENT}, status=status.HTTP_400_BAD_REQUEST)
        case = services.case_assign(case=case, actor=request.user, assignee=assignee)
        return Response(CaseSerializer(case).data)

    @action(detail=True, methods=["post"])
    def share(self, request, pk=None):
        case = self._work(pk)
        data = _valid(ShareSerializer, request.data)
        fund = Fund.objects.filter(code=data["fund"], is_active=True).first()
        if fund is None:
            return Response({"detail": "Caisse inconnue."}, status=status.HTTP_400_BAD_REQUEST)
        case = services.case_share(case=case, actor=request.user, fund=fund, reason=data["reason"])
        return Response(CaseSerializer(case).data)

    @action(detail=True, methods=["post"])
    @upload_limit("CASE_ATTACHMENT_MAX_BYTES")
    def attachments(self, request, pk=None):
        case = self._work(pk)
        upload = request.FILES.get("file")
        if upload_refusal(request):
            return Response({"detail": upload_refusal(request)}, status=status.HTTP_400_BAD_REQUEST)
        if upload is None:
            return Response({"detail": "Fichier manquant (champ « file »)."}, status=status.HTTP_400_BAD_REQUEST)
        attachment = case_attach(case=case, actor=request.user, upload=upload)
        return Response({"id": attachment.pk, "content_type": attachment.content_type, "size": attachment.size},
                        status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_id>\d+)")
    def attachment(self, request, pk=None, attachment_id=None):
        case = get_case_for(user=request.user, case_id=pk)
        attachment = case.attachments.filter(pk=attachment_id).first()
        if attachment is None or not attachment_path(attachment).exists():
            raise Http404
        return FileResponse(attachment_path(attachment).open("rb"), content_type=attachment.content_type,
                            as_attachment=True, filename=attachment.original_name)

    @action(detail=False, methods=["post"], url_path="bulk-assign")
    def bulk_assign(self, request):
        """Managers: {"cases": [ids], "assignee": user id}. All or nothing."""
        if not funds_of(user=request.user, perm=MANAGE_CASES).exists():
            raise Http404
        incoming = BulkAssignSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        assignee = user_from_input(incoming.validated_data["assignee"])  # None: UNKNOWN_AGENT, after the cases
        changed = services.cases_bulk_assign(case_ids=incoming.validated_data["cases"], actor=request.user,
                                             assignee=assignee)
        return Response({"changed": changed})
