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



def history_author(instance, request=None, **kwargs):
    """Who made the change: the signed-in user of the request, else the actor the service recorded on the row
    (`_history_user`, or the model's own `granted_by`/`updated_by`/`created_by`) for commands and tasks."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user
    explicit = getattr(instance, "_history_user", None)
    if explicit is not None:
        return explicit
    for field in ("granted_by", "updated_by", "created_by", "actor"):
        if getattr(instance, f"{field}_id", None):
            return getattr(instance, field)
    return None


for _model in AUDITED.values():
    register(_model, app="audit", excluded_fields=["updated_at"], get_user=history_author)
