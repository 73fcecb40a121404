"""Signal loads (national staff) and shared-account alerts (every fund concerned, national staff)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from casework.risk.files import signals_read
from casework.risk.models import SignalBatch
from casework.risk.selectors import alerts_for, signal_batches_for
from casework.risk.services import SignalsRejected, signals_ingest
from config.errors import ApplicationError, Throttled
from config.screening import ScreenedForm
from config.uploads import upload_limit, upload_refusal
from network.permissions import national_required

MAX_FILE_BYTES = 50 * 1024 * 1024


class SignalsFileForm(ScreenedForm):
    file = forms.FileField(label=gettext_lazy("Fichier de signaux (CSV : nir, kind, occurred_on, fund, iban)"))


@upload_limit(MAX_FILE_BYTES)
@national_required
def signal_load(request):
    form = SignalsFileForm(request.POST or None, request.FILES or None)
    errors: list[dict] = []
    status = 200
    if upload_refusal(request):
        messages.error(request, upload_refusal(request))
    elif request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_FILE_BYTES:
                raise ApplicationError(_("Fichier trop volumineux."))
            result = signals_ingest(actor=request.user, rows=signals_read(upload.read()),
                                    source=SignalBatch.Source.FILE, file_name=upload.name, first_line=2)
        except SignalsRejected as error:
            errors = error.extra["errors"]
            messages.error(request, error.message)
        except Throttled as error:  # the bulk quota is spent: its message says when to retry
            messages.error(request, error.message)
            status = 429
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(received)s signaux chargés, %(matched)s personnes exposées, "
                                        "%(opened)s dossiers ouverts.") % {
                "received": result.received, "matched": result.matched, "opened": result.cases_opened})
            return redirect("signal-load")
    page = Paginator(signal_batches_for(user=request.user), 20).get_page(request.GET.get("page"))
    return render(request, "casework/signal_load.html", {"form": form, "errors": errors, "page": page},
                  status=400 if errors else status)


@login_required
def alert_list(request):
    page = Paginator(alerts_for(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "casework/alert_list.html", {"page": page})
