"""API adapters: validate, pass the gate, call the same services as the pages."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from network.models import Fund
from network.permissions import IsNational
from network.roles import ACKNOWLEDGE_INSTRUCTION
from notifications import services
from notifications.api.serializers import (
    AmendSerializer,
    AttestSerializer,
    DeliverySerializer,
    InstructionCreateSerializer,
    InstructionSerializer,
    WithdrawSerializer,
)
from notifications.selectors import (
    deliveries_of,
    deliveries_visible_to,
    get_delivery_for,
    get_instruction_for,
    instructions_visible_to,
)

NATIONAL_ACTIONS = {"create", "issue", "amend", "withdraw"}


class InstructionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                         viewsets.GenericViewSet):
    """Instructions: national staff draft, issue, amend and withdraw; fund users read those sent to them."""
    lookup_value_regex = r"\d+"  # ids are numbers: anything else is a 404, not a crash

    serializer_class = InstructionSerializer
    filterset_fields = ["status", "nature"]

    def get_permissions(self):
        permissions = super().get_permissions()
        return permissions + [IsNational()] if self.action in NATIONAL_ACTIONS else permissions

    def get_queryset(self):
        funds = Fund.objects.order_by("code")
        return instructions_visible_to(user=self.request.user).prefetch_related(
            Prefetch("target_funds", queryset=funds), Prefetch("information_funds", queryset=funds))

    def _instruction(self):
        return get_instruction_for(user=self.request.user, instruction_id=self.kwargs["pk"])

    def _respond(self, instruction, code=status.HTTP_200_OK):
        instruction = self.get_queryset().get(pk=instruction.pk)  # fresh, with its joins
        return Response(InstructionSerializer(instruction).data, status=code)

    @extend_schema(request=InstructionCreateSerializer, responses=InstructionSerializer)
    def create(self, request, *args, **kwargs):
        serializer = InstructionCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["targets"] = services.TargetSpec.from_payload(data["targets"])
        instruction = services.instruction_create(actor=request.user, **data)
        return self._respond(instruction, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=InstructionSerializer)
    @action(detail=True, methods=["post"])
    def issue(self, request, pk=None):
        instruction = services.instruction_issue(instruction=self._instruction(), actor=request.user)
        return self._respond(instruction)

    @extend_schema(request=AmendSerializer, responses=InstructionSerializer)
    @action(detail=True, methods=["post"])
    def amend(self, request, pk=None):
        serializer = AmendSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instruction = services.instruction_amend(instruction=self._instruction(), actor=request.user,
                                                 **serializer.validated_data)
        return self._respond(instruction)

    @extend_schema(request=WithdrawSerializer, responses=InstructionSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        serializer = WithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        instruction = services.instruction_withdraw(instruction=self._instruction(), actor=request.user,
                                                    reason=serializer.validated_data["reason"])
        return self._respond(instruction)

    @extend_schema(responses=DeliverySerializer(many=True))
    @action(detail=True, methods=["get"], filterset_fields=[])
    def deliveries(self, request, pk=None):
        deliveries = deliveries_of(user=request.user, instruction=self._instruction()).order_by("fund__code")
        page = self.paginate_queryset(deliveries)
        return self.get_paginated_response(DeliverySerializer(page, many=True).data)


class DeliveryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A fund user's deliveries; acknowledging and attesting need `casework.acknowledge_instruction`."""
    lookup_value_regex = r"\d+"  # ids are numbers: anything else is a 404, not a crash

    serializer_class = DeliverySerializer
    filterset_fields = ["for_action"]

    def get_queryset(self):
        return deliveries_visible_to(user=self.request.user)

    @extend_schema(request=None, responses=DeliverySerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        delivery = get_delivery_for(user=request.user, delivery_id=pk, perm=ACKNOWLEDGE_INSTRUCTION)
        services.delivery_acknowledge(delivery=delivery, actor=request.user)
        return Response(DeliverySerializer(self.get_queryset().get(pk=delivery.pk)).data)

    @extend_schema(request=AttestSerializer, responses=DeliverySerializer)
    @action(detail=True, methods=["post"])
    def attest(self, request, pk=None):
        delivery = get_delivery_for(user=request.user, delivery_id=pk, perm=ACKNOWLEDGE_INSTRUCTION)
        serializer = AttestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.delivery_attest(delivery=delivery, actor=request.user, **serializer.validated_data)
        return Response(DeliverySerializer(self.get_queryset().get(pk=delivery.pk)).data)

    @extend_schema(request=None, responses=DeliverySerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsNational])
    def resend(self, request, pk=None):
        delivery = get_delivery_for(user=request.user, delivery_id=pk)
        services.delivery_resend(delivery=delivery, actor=request.user)
        return Response(DeliverySerializer(self.get_queryset().get(pk=delivery.pk)).data,
                        status=status.HTTP_202_ACCEPTED)
