"""Which models keep a history of every change (who, when, what). Their history tables live in this app.

To audit another model, add it to AUDITED below and run makemigrations audit.
"""

from simple_history import register

from casework.models import Fund, Membership

# label shown to people -> model
AUDITED = {
    "caisse": Fund,
    "rattachement": Membership,
}

for _model in AUDITED.values():
    register(_model, app="audit", excluded_fields=["updated_at"])
