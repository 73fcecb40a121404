"""The casework models live in one module per topic; imported here so Django finds them."""

from casework.cases.models import Attachment, Case, CaseEvent, SignalKind
from casework.checks.models import Check
from casework.risk.models import IbanSighting, SharedAccountAlert, SignalBatch

__all__ = ["Attachment", "Case", "CaseEvent", "Check", "IbanSighting", "SharedAccountAlert", "SignalBatch",
           "SignalKind"]
